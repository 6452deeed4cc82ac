package dev.gavel.bench; final class Placeholder {}
