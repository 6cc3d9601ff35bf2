package org.distarch.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Distarch.class.getPackage().getImplementationVersion();
        return new String[] {"distarch " + (v == null ? "development build" : v)};
    }
}
