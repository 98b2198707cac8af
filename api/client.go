package api

import (
	"bytes"
	"mime/multipart"
)

// ProcessForm is the multipart body of a POST /process request: the photo as field "file"
// plus option fields, as Datalid's front end sends it.
func ProcessForm(photo []byte, fields map[string]string) (body *bytes.Buffer, contentType string) {
	body = &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	w, _ := mw.CreateFormFile("file", "photo.jpg") // writes to memory: cannot fail
	w.Write(photo)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return body, mw.FormDataContentType()
}
