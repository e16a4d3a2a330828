// One HTTP GET through libcurl, its body read as a pull stream (a ByteReader), so that a blob
// from a registry or an image from an engine socket flows into the same readers as a file does.
// Redirects are not followed here: the registry client decides what a redirect may carry.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "source/container.h"

namespace pd {

struct HttpOptions {
  std::string unixSocket;  // send the request over this socket instead of TCP (engine APIs)
  std::string caFile;      // trust these CAs as well as the system's
  bool insecure = false;   // no TLS verification (only when the user asked for it)
  long connectTimeoutSec = 30;
  long stallTimeoutSec = 60;  // give up when no byte arrived for this long
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  int64_t rangeFrom = 0;             // > 0: ask for the bytes from here on (a resumed blob)
  std::string postBody;              // non-empty: POST this form instead of a GET
};

// The curl error of a request that never got an answer, for retry decisions and messages.
class HttpTransportError : public std::runtime_error {
 public:
  HttpTransportError(CURLcode code, const std::string& what)
      : std::runtime_error(what), code(code) {}
  CURLcode code;
};

class HttpResponse : public ByteReader {
 public:
  // Sends the request and waits for the status and headers. Throws HttpTransportError when no
  // answer came (refused, DNS, TLS, timeout); an HTTP error status is an answer, not a throw.
  HttpResponse(const HttpRequest& request, const HttpOptions& options);
  ~HttpResponse() override;
  HttpResponse(const HttpResponse&) = delete;
  HttpResponse& operator=(const HttpResponse&) = delete;

  long status() const { return status_; }
  // The value of a response header (case-insensitive name); "" when absent.
  std::string header(const std::string& name) const;
  // Every value of a header that may repeat (WWW-Authenticate).
  std::vector<std::string> headers(const std::string& name) const;

  // The body. Throws HttpTransportError when the connection breaks or stalls mid-body.
  size_t read(char* buf, size_t n) override;
  // The whole body, refused past `cap` bytes (manifests, configs, tokens: never sized by the
  // server). Throws std::length_error when over the cap.
  std::string readAll(int64_t cap);
  // Bytes of body received so far.
  int64_t received() const { return received_; }

 private:
  static size_t onHeader(char* p, size_t size, size_t n, void* self);
  static size_t onBody(char* p, size_t size, size_t n, void* self);
  void pump();  // runs the transfer until it has something new to say
  [[noreturn]] void failTransport();

  CURLM* multi_ = nullptr;
  CURL* easy_ = nullptr;
  curl_slist* headerList_ = nullptr;
  std::string url_;
  long status_ = 0;
  bool headersDone_ = false, done_ = false, paused_ = false;
  CURLcode result_ = CURLE_OK;
  char errbuf_[CURL_ERROR_SIZE] = {};
  std::vector<std::pair<std::string, std::string>> headers_;  // lower-case name, value
  std::string buf_;                                           // body bytes received, not yet read
  size_t bufPos_ = 0;
  int64_t received_ = 0;
};

// "%XX"-escapes what is not unreserved in a URL path segment or query value.
std::string urlEscape(const std::string& s);

}  // namespace pd
