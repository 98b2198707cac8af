// Package e2e holds the server's end-to-end tests: the real models behind a real listener, the
// web page in headless Chromium, and a bounded load test. They are kept apart from package
// server's fast unit tests so the race detector can run those without loading models.
package e2e
