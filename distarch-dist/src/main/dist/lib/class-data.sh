# Sourced by both bin/distarch launchers and by bin/bench (POSIX sh, also under bash's set -eu): the master's
# classes from a class data archive (AppCDS), so a start loads and verifies far fewer classes from the jars
# (docs/design.md, "The master's JVM"; benchmarks.md, "class data archive").
#
#   distarch_class_data JAVA "JAVA_OPTIONS" CLASSPATH "DIRECTORIES" JAR...
#
# (DIRECTORIES: one a line, the first writable one is used.)
# sets distarch_cds to the JVM options that map the archive made for exactly this JVM, these options and these
# jars, or to nothing. When no such archive exists in the first writable directory, it makes one first: a short
# training run of a master (two sleep workers, 2 s) that writes the archive at its exit, checked by a JVM that
# must map it, then renamed into place. A JVM maps an archive only if it is whole: a torn one crashes it, which is
# why nothing is ever written under the final name. A training run that fails leaves a .failed mark, so the next
# start doesn't try again. DISTARCH_CLASS_DATA=off turns it all off.
distarch_class_data() {
  distarch_cds=""
  _dcd_java="$1" _dcd_opts="$2" _dcd_cp="$3" _dcd_dirs="$4"
  shift 4
  [ "${DISTARCH_CLASS_DATA:-on}" != off ] || return 0
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
  _dcd_ifs="$IFS"
  IFS='
'
  for _dcd_dir in $_dcd_dirs; do
    IFS="$_dcd_ifs"
    _dcd_file="$_dcd_dir/distarch-$_dcd_key.jsa"
    if [ -f "$_dcd_file" ]; then
      distarch_cds="-XX:SharedArchiveFile=$_dcd_file -Xlog:cds=off -Xlog:cds+dynamic=off"
      return 0
    fi
    [ ! -e "$_dcd_dir/distarch-$_dcd_key.failed" ] || return 0
    mkdir -p "$_dcd_dir" 2>/dev/null && [ -w "$_dcd_dir" ] || continue
    _dcd_train "$_dcd_dir" && distarch_cds="-XX:SharedArchiveFile=$_dcd_file -Xlog:cds=off -Xlog:cds+dynamic=off"
    return 0
  done
  IFS="$_dcd_ifs"
}

# Trains the archive into "$1"; true when it is in place.
_dcd_train() {
  _dcd_work="$(mktemp -d 2>/dev/null)" || return 1
  _dcd_tmp="$_dcd_file.$$.tmp"
  echo "distarch: preparing the class data archive $_dcd_file (once for this JVM and these jars; a few seconds)" >&2
  printf '%s\n' 'distributed_architecture:' '  groups:' '    Training:' "      command: '600'" '      bin_path: sleep' \
      '      local: {instances_count: 2}' > "$_dcd_work/training.yaml"
  _dcd_timeout=""
  ! command -v timeout >/dev/null 2>&1 || _dcd_timeout="timeout 60"
  # shellcheck disable=SC2086 # options are several words on purpose
  if DISTARCH_ADMIN_PORT=auto $_dcd_timeout "$_dcd_java" $_dcd_opts -XX:ArchiveClassesAtExit="$_dcd_tmp" \
          -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$_dcd_cp" org.distarch.cli.Main run-master \
          --config "$_dcd_work/training.yaml" --pid "$_dcd_work/master.pid" --max-running-time 2 \
          >"$_dcd_work/training.log" 2>&1 </dev/null \
      && $_dcd_timeout "$_dcd_java" $_dcd_opts -Xshare:on -XX:SharedArchiveFile="$_dcd_tmp" -Xlog:cds=off \
          -Xlog:cds+dynamic=off -XX:ErrorFile="$_dcd_work/hs_err.log" -XX:-CreateCoredumpOnCrash -cp "$_dcd_cp" \
          org.distarch.cli.Main --version >/dev/null 2>&1 </dev/null \
      && mv -f "$_dcd_tmp" "$_dcd_file"; then
    for _dcd_old in "$1"/distarch-*.jsa "$1"/distarch-*.failed; do
      [ "$_dcd_old" = "$_dcd_file" ] || rm -f "$_dcd_old"
    done
    rm -rf "$_dcd_work"
    return 0
  fi
  rm -f "$_dcd_tmp"
  : > "$1/distarch-$_dcd_key.failed"
  echo "distarch: no class data archive (the training run failed; DISTARCH_CLASS_DATA=off skips it; its log: $_dcd_work/training.log)" >&2
  return 1
}
