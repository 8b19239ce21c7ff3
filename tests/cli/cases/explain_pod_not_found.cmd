explain service web --pod nope -n shop -f troubles.yaml
