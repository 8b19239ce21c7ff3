# The events of replay_stdin_json in YAML on standard input: the same output.
replay -f seed/with-selector.yaml --events - -o json
stdin: watch/seed-events.yaml
