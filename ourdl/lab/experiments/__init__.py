"""The lab's experiments, one module each; importing a module registers its experiment."""
