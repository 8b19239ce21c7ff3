# A selector entry no pod satisfies: check adds SVCDISC-1010 with what comes close.
check -f near-misses.yaml
