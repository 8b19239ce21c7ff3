# A selector entry no pod satisfies: explain names what comes close.
explain service api -f near-misses.yaml
