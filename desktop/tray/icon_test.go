package tray

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"image/png"
	"testing"
)

// Each state has its own icon: the dot's colour in the lower right corner,
// none when all is well; the Windows icon wraps the same picture.
func TestIconsPerState(t *testing.T) {
	base, _ := png.Decode(bytes.NewReader(baseIcon))
	size := base.Bounds().Dx()
	for _, s := range []State{Idle, Running, Failed, Held, Paused} {
		img, err := png.Decode(bytes.NewReader(IconPNG(s)))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		dot := color.NRGBAModel.Convert(img.At(size-size/4, size-size/4)).(color.NRGBA)
		want, hasDot := badge[s]
		if !hasDot {
			want = color.NRGBAModel.Convert(base.At(size-size/4, size-size/4)).(color.NRGBA)
		}
		if dot != want {
			t.Errorf("%s: corner %v, want %v", s, dot, want)
		}
		if !hasDot && img.At(2, 2) != color.NRGBAModel.Convert(base.At(2, 2)) {
			t.Errorf("%s: the icon itself changed", s)
		}
		ico := IconICO(s)
		var hdr [3]uint16
		binary.Read(bytes.NewReader(ico), binary.LittleEndian, &hdr)
		size := binary.LittleEndian.Uint32(ico[14:])
		offset := binary.LittleEndian.Uint32(ico[18:])
		if hdr != [3]uint16{0, 1, 1} || int(offset+size) != len(ico) || !bytes.Equal(ico[offset:], IconPNG(s)) {
			t.Errorf("%s: not an .ico holding the PNG (header %v, %d+%d of %d)", s, hdr, offset, size, len(ico))
		}
	}
}
