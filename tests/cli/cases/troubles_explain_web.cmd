explain service web -n shop -f troubles.yaml
