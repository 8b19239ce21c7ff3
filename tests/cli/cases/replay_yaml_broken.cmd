# Event 2 is not YAML (a key indented one column short); event 1 is applied and printed.
replay -f seed/with-selector.yaml --events watch/broken.yaml
