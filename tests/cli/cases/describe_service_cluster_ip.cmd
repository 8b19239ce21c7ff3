describe service web -f kubectl.yaml
