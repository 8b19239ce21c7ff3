explain service dns --pod dns-0 -n shop -f troubles.yaml
