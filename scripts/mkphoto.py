# Regenerates tests/data/photo_upright.jpg and photo_exif6.jpg (needs cjpeg from libjpeg-turbo-progs).
# Run from tests/data.
import math, struct, subprocess
W,H=320,240
def upright(x,y):
    # tissue-like gradient with soft blobs
    r = 200 + int(40*math.sin(x/23.0)*math.cos(y/31.0))
    g = 90 + int(30*math.sin((x+y)/40.0))
    b = 100 + int(20*math.cos(x/17.0))
    for cx,cy,rad in ((220,150,40),(120,170,25),(260,80,18)):
        d=math.hypot(x-cx,y-cy)
        if d<rad:
            k=1-d/rad; r=int(r*(1-k)+250*k); g=int(g*(1-k)+235*k); b=int(b*(1-k)+200*k)
    if x<60 and y<60: r,g,b=30,60,200        # blue square: top-left marker
    if y<12 and x>=60: r,g,b=40,170,60        # green bar along the top
    return (max(0,min(255,r)),max(0,min(255,g)),max(0,min(255,b)))
def ppm(path,w,h,px):
    with open(path,'wb') as f:
        f.write(b'P6 %d %d 255\n'%(w,h))
        f.write(bytes(c for row in range(h) for col in range(w) for c in px(col,row)))
ppm('/tmp/up.ppm',W,H,upright)
# stored = upright rotated 90 degrees counter-clockwise (needs EXIF 6 to show upright)
ppm('/tmp/rot.ppm',H,W,lambda col,row: upright(W-1-row, col))
subprocess.run(['cjpeg','-quality','80','-outfile','photo_upright.jpg','/tmp/up.ppm'],check=True)
subprocess.run(['cjpeg','-quality','80','-outfile','/tmp/rot.jpg','/tmp/rot.ppm'],check=True)
data=open('/tmp/rot.jpg','rb').read()
tiff=b'MM\x00\x2a\x00\x00\x00\x08'+b'\x00\x01'+b'\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00'+b'\x00\x00\x00\x00'
seg=b'Exif\x00\x00'+tiff
app1=b'\xff\xe1'+struct.pack('>H',len(seg)+2)+seg
open('photo_exif6.jpg','wb').write(data[:2]+app1+data[2:])
