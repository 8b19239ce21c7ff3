# A bad -l is rejected before any input is read: the missing file is never looked at.
get pods -l 'app in (web' -f does-not-exist.yaml
