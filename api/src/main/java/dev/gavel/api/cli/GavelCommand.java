package dev.gavel.api.cli;
public final class GavelCommand { public static void main(String[] a) {} }
