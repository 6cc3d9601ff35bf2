# Sourced by both bin/distarch launchers and by bin/bench (POSIX sh, also under bash's set -eu): the master's
# classes from a class data archive (AppCDS), so a start loads and verifies far fewer classes from the jars
# (docs/design.md, "The master's JVM"; benchmarks.md, "class data archive").
#
#   distarch_class_data JAVA "JAVA_OPTIONS" CLASSPATH "DIRECTORIES" JAR...
#
# sets distarch_cds to the JVM options that map the archive made for exactly this JVM, these options and these
# jars, or to nothing. DIRECTORIES, one a line, are where it is looked for. When there is none, the first writable
# one gets it first: a short training run of a master (two sleep workers, 2 s) writes the archive at its exit, a
# JVM that must map it checks it, and only then is it renamed into place. A JVM given a torn archive crashes
# (SIGBUS) instead of refusing it, which is why nothing is ever written under the final name. A training run that
# fails leaves a .failed mark, so the next start doesn't try again. DISTARCH_CLASS_DATA=off turns it all off, and
# so do options that name an archive of their own.
distarch_class_data() {
  distarch_cds=""
  _dcd_java="$1" _dcd_opts="$2" _dcd_cp="$3" _dcd_dirs="$4"
  shift 4
  [ "${DISTARCH_CLASS_DATA:-on}" != off ] || return 0
  case "$_dcd_opts" in *SharedArchiveFile*|*ArchiveClassesAtExit*|*-Xshare:*|*SharedClassListFile*) return 0 ;; esac
  command -v cksum >/dev/null 2>&1 || return 0
  _dcd_bin="$(command -v "$_dcd_java" 2>/dev/null)" || return 0
  _dcd_bin="$(readlink -f "$_dcd_bin" 2>/dev/null)" || return 0
  # The JVM's own library stands for its exact build: an archive made by another build is refused by the JVM.
  _dcd_jvm="$(dirname "$_dcd_bin")/../lib/server/libjvm.so"
  [ -f "$_dcd_jvm" ] || return 0
  _dcd_key="$( { printf '%s\n' "$_dcd_bin" "$_dcd_opts" "$_dcd_cp"
                 ls -lLn --time-style=+%s -- "$_dcd_jvm" "$@"; } 2>/dev/null | cksum)" || return 0
  _dcd_key="${_dcd_key%% *}"
  case "$_dcd_dirs" in *' '*) return 0 ;; esac # the option is one word
  # CDS's own warnings (an archive it cannot map, say) would go to the master's stdout, its log.
  _dcd_quiet="-Xlog:cds=off -Xlog:cds+dynamic=off"
  _dcd_ifs="$IFS"
  IFS='
'
  for _dcd_dir in $_dcd_dirs; do
    IFS="$_dcd_ifs"
    _dcd_file="$_dcd_dir/distarch-$_dcd_key.jsa"
    if [ -f "$_dcd_file" ]; then
      distarch_cds="-XX:SharedArchiveFile=$_dcd_file $_dcd_quiet"
      return 0
    fi
    [ ! -e "$_dcd_dir/distarch-$_dcd_key.failed" ] || return 0
    mkdir -p "$_dcd_dir" 2>/dev/null && [ -w "$_dcd_dir" ] || continue
    _dcd_train "$_dcd_dir" && distarch_cds="-XX:SharedArchiveFile=$_dcd_file $_dcd_quiet"
    return 0
  done
  IFS="$_dcd_ifs"
}

# Trains the archive into "$1"; true when it is in place.
_dcd_train() {
  _dcd_tmp="$_dcd_file.$$.tmp"
  echo "distarch: preparing the class data archive $_dcd_file (once for this JVM and these jars; a few seconds)" >&2
  _dcd_timeout=""
  ! command -v timeout >/dev/null 2>&1 || _dcd_timeout="timeout 60"
  # shellcheck disable=SC2086 # options are several words on purpose
  if _dcd_work="$(mktemp -d 2>/dev/null)" \
      && printf '%s\n' 'distributed_architecture:' '  groups:' '    Training:' "      command: '600'" \
          '      bin_path: sleep' '      local: {instances_count: 2}' > "$_dcd_work/training.yaml" \
      && DISTARCH_ADMIN_PORT=auto $_dcd_timeout "$_dcd_java" $_dcd_opts -XX:ArchiveClassesAtExit="$_dcd_tmp" \
          $_dcd_quiet -cp "$_dcd_cp" org.distarch.cli.Main run-master \
          --config "$_dcd_work/training.yaml" --pid "$_dcd_work/master.pid" --max-running-time 2 \
          >"$_dcd_work/training.log" 2>&1 </dev/null \
      && $_dcd_timeout "$_dcd_java" $_dcd_opts -Xshare:on -XX:SharedArchiveFile="$_dcd_tmp" $_dcd_quiet \
          -XX:ErrorFile="$_dcd_work/hs_err.log" -XX:-CreateCoredumpOnCrash -cp "$_dcd_cp" \
          org.distarch.cli.Main --version >/dev/null 2>&1 </dev/null \
      && mv -f "$_dcd_tmp" "$_dcd_file"; then
    # The three newest archives stay (a JVM or options used in turn don't evict each other); older ones go.
    # shellcheck disable=SC2012 # the names are distarch-NNN.jsa, no odd characters
    ls -t "$1"/distarch-*.jsa 2>/dev/null | tail -n +4 | while IFS= read -r _dcd_old; do rm -f "$_dcd_old"; done
    rm -f "$1"/distarch-*.failed
    rm -rf "$_dcd_work"
    return 0
  fi
  rm -f "$_dcd_tmp"
  : > "$1/distarch-$_dcd_key.failed"
  echo "distarch: no class data archive (the training run failed${_dcd_work:+; its log: $_dcd_work/training.log};" \
      "remove $1/distarch-$_dcd_key.failed to try again, DISTARCH_CLASS_DATA=off to stop trying)" >&2
  return 1
}
