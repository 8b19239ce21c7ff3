services-for nope -n shop -f troubles.yaml
