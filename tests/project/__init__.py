"""What ships and how the source is laid out: packaging, the README's commands, the
layers as import contracts, no import cycles."""
