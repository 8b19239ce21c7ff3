get endpoints -n shop -f troubles.yaml
