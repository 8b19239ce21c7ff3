get ep -o name -f seed/with-selector.yaml
