package ai.peregrine.cli;

import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"peregrine " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
