get pods --frobnicate -f seed/with-selector.yaml
