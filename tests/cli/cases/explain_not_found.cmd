explain service nope -n shop -f troubles.yaml
