package ai.peregrine.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("peregrine " + Runtime.version());
    }
}
