# The events of replay_seed as `kubectl get -w --output-watch-events -o yaml` prints them: the
# same output as replay_seed.
replay -f seed/with-selector.yaml --events watch/seed-events.yaml
