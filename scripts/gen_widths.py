# Regenerates src/report/pdf/metrics.rs tables from groff's Adobe AFM-derived devps fonts (HR, HB):
#   python3 scripts/gen_widths.py > /tmp/w.rs  (then paste below the module doc comment)
import sys
ascii_names = "space exclam quotedbl numbersign dollar percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen period slash zero one two three four five six seven eight nine colon semicolon less equal greater question at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore grave a b c d e f g h i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde".split()
hi = "Euro - quotesinglbase florin quotedblbase ellipsis dagger daggerdbl circumflex perthousand Scaron guilsinglleft OE - Zcaron - - quoteleft quoteright quotedblleft quotedblright bullet endash emdash tilde trademark scaron guilsinglright oe - zcaron Ydieresis".split()
lat = "space exclamdown cent sterling currency yen brokenbar section dieresis copyright ordfeminine guillemotleft logicalnot hyphen registered macron degree plusminus twosuperior threesuperior acute mu paragraph periodcentered cedilla onesuperior ordmasculine guillemotright onequarter onehalf threequarters questiondown Agrave Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis igrave iacute icircumflex idieresis eth ntilde ograve oacute ocircumflex otilde odieresis divide oslash ugrave uacute ucircumflex udieresis yacute thorn ydieresis".split()
assert len(ascii_names)==95 and len(hi)==32 and len(lat)==96, (len(ascii_names),len(hi),len(lat))
names = ascii_names + ["-"] + hi + lat  # codes 32..=255 (127 = DEL undefined)
def load(fn):
    w={}
    f=False
    for line in open(fn):
        if line.startswith('charset'): f=True; continue
        if not f: continue
        p=line.rstrip('\n').split('\t')
        if len(p)>=5:
            w[p[4]]=int(p[1].split(',')[0])
    return w
for font,fn in (("HELVETICA","HR"),("HELVETICA_BOLD","HB")):
    w=load("/usr/share/groff/1.22.4/font/devps/"+fn)
    out=[]
    for i,n in enumerate(names):
        if n=='-': out.append(0)
        elif n in w: out.append(w[n])
        else: print("missing",font,n,file=sys.stderr); out.append(556)
    print(f"/// Advance widths (1/1000 em) of {font.title().replace('_','-')} for WinAnsi codes 32..=255.")
    print(f"pub(super) const {font}: [u16; 224] = [")
    for k in range(0,224,16):
        print("    " + ", ".join(str(x) for x in out[k:k+16]) + ",")
    print("];")
