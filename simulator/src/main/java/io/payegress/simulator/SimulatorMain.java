package io.payegress.simulator;

/** Standalone entry point of the WeChat Pay simulator. */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {}
}
