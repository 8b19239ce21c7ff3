get endpointslices -n test -f realdata/cilium-graceful-termination-state2-NOPODS.yaml -o wide
