package api

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
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

// PostProcess sends the form with the key to /process and hands back any status as a reply;
// Response decodes a 2xx and turns anything else into an error with the body.
func TestPostProcess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/process" || r.ParseMultipartForm(1<<20) != nil || r.MultipartForm.File["file"] == nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if r.Header.Get("X-API-Key") != "k" {
			http.Error(w, `{"status":"error"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("X-Cache", "miss")
		w.Write([]byte(`{"status":"success","best_date":{"date":"2031-03-14"}}`))
	}))
	defer srv.Close()
	ctx := context.Background()
	reply, err := PostProcess(ctx, nil, srv.URL+"/", "k", []byte("JPEG"), map[string]string{"return_crops": "true"})
	if err != nil || reply.Status != 200 || reply.Header.Get("X-Cache") != "miss" {
		t.Fatalf("reply %+v err %v", reply, err)
	}
	p, err := reply.Response()
	if err != nil || p.Status != StatusSuccess || p.BestDate == nil || *p.BestDate.Date != "2031-03-14" {
		t.Fatalf("response %+v err %v", p, err)
	}
	reply, err = PostProcess(ctx, nil, srv.URL, "", []byte("JPEG"), nil)
	if err != nil || reply.Status != http.StatusUnauthorized {
		t.Fatalf("no key: %+v %v", reply, err)
	}
	if _, err := reply.Response(); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("401 decoded as %v", err)
	}
}
