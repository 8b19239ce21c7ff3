explain service web -n shop -f zones.yaml
