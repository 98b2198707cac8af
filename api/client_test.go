package api

import (
	"io"
	"mime"
	"mime/multipart"
	"testing"
)

func TestProcessForm(t *testing.T) {
	body, ctype := ProcessForm([]byte("JPEGDATA"), map[string]string{"return_crops": "true"})
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		t.Fatal(err)
	}
	form, err := multipart.NewReader(body, params["boundary"]).ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if form.Value["return_crops"][0] != "true" || len(form.File["file"]) != 1 {
		t.Fatalf("form %+v", form)
	}
	f, _ := form.File["file"][0].Open()
	data, _ := io.ReadAll(f)
	if string(data) != "JPEGDATA" {
		t.Errorf("file %q", data)
	}
}
