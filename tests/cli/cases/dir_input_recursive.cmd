get services -A -R -f dir
