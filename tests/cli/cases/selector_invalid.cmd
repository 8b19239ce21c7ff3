selector 'x=a=b'
