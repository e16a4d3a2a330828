#include "remote/http.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

#include "common/text.h"

namespace pd {
namespace {

// curl hands the body over in pieces of up to CURL_MAX_WRITE_SIZE (16 KiB); past this much
// unread, the transfer pauses until the reader catches up. The buffer is reserved once at this
// size plus one piece, so it never reallocates (several blobs stream at once).
constexpr size_t kMaxBuffered = 256 << 10;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

HttpResponse::HttpResponse(const HttpRequest& req, const HttpOptions& opt) : url_(req.url) {
  // libcurl initialises its global state (TLS) on the first handle, only when an input needs
  // the network: a file lint pays nothing for it. (libcurl >= 7.84 does this thread-safely.)
  buf_.reserve(kMaxBuffered + CURL_MAX_WRITE_SIZE);
  easy_ = curl_easy_init();
  multi_ = curl_multi_init();
  if (!easy_ || !multi_) {
    if (easy_) curl_easy_cleanup(easy_);
    if (multi_) curl_multi_cleanup(multi_);
    throw std::bad_alloc();
  }
  curl_easy_setopt(easy_, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, errbuf_);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT, opt.connectTimeoutSec);
  curl_easy_setopt(easy_, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy_, CURLOPT_LOW_SPEED_TIME, opt.stallTimeoutSec);
  curl_easy_setopt(easy_, CURLOPT_USERAGENT, "permdoctor");
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &HttpResponse::onHeader);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &HttpResponse::onBody);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  if (!opt.unixSocket.empty())
    curl_easy_setopt(easy_, CURLOPT_UNIX_SOCKET_PATH, opt.unixSocket.c_str());
  if (!opt.caFile.empty()) curl_easy_setopt(easy_, CURLOPT_CAINFO, opt.caFile.c_str());
  if (opt.insecure) {
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (req.rangeFrom > 0)
    curl_easy_setopt(easy_, CURLOPT_RANGE, (std::to_string(req.rangeFrom) + "-").c_str());
  if (!req.postBody.empty()) curl_easy_setopt(easy_, CURLOPT_COPYPOSTFIELDS, req.postBody.c_str());
  for (const auto& h : req.headers) headerList_ = curl_slist_append(headerList_, h.c_str());
  if (headerList_) curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headerList_);
  curl_multi_add_handle(multi_, easy_);
  try {
    while (!headersDone_ && !done_) pump();
    if (done_ && result_ != CURLE_OK) failTransport();
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status_);
  } catch (...) {
    curl_multi_remove_handle(multi_, easy_);
    curl_easy_cleanup(easy_);
    curl_multi_cleanup(multi_);
    curl_slist_free_all(headerList_);
    throw;
  }
}

HttpResponse::~HttpResponse() {
  curl_multi_remove_handle(multi_, easy_);
  curl_easy_cleanup(easy_);
  curl_multi_cleanup(multi_);
  curl_slist_free_all(headerList_);
}

size_t HttpResponse::onHeader(char* p, size_t size, size_t n, void* self) {
  auto* r = static_cast<HttpResponse*>(self);
  std::string line(p, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    r->headers_.clear();  // a new block (after 100 Continue): only the last one counts
  } else if (trim(line).empty()) {
    r->headersDone_ = true;
  } else if (auto colon = line.find(':'); colon != std::string::npos && r->headers_.size() < 200) {
    r->headers_.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return size * n;
}

size_t HttpResponse::onBody(char* p, size_t size, size_t n, void* self) {
  auto* r = static_cast<HttpResponse*>(self);
  if (r->buf_.size() - r->bufPos_ >= kMaxBuffered) {
    r->paused_ = true;
    return CURL_WRITEFUNC_PAUSE;  // delivered again once unpaused
  }
  if (r->bufPos_ > 0 && r->bufPos_ == r->buf_.size()) {
    r->buf_.clear();
    r->bufPos_ = 0;
  }
  r->buf_.append(p, size * n);
  r->received_ += static_cast<int64_t>(size * n);
  r->headersDone_ = true;
  return size * n;
}

void HttpResponse::pump() {
  int running = 0;
  curl_multi_perform(multi_, &running);
  int left = 0;
  while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
    if (m->msg == CURLMSG_DONE) {
      done_ = true;
      result_ = m->data.result;
    }
  }
  if (!done_ && running == 0) done_ = true;
  if (!done_ && buf_.size() == bufPos_) curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
}

void HttpResponse::failTransport() {
  std::string msg = errbuf_[0] ? errbuf_ : curl_easy_strerror(result_);
  throw HttpTransportError(result_, msg);
}

std::string HttpResponse::header(const std::string& name) const {
  std::string n = lower(name), v;
  for (const auto& [k, val] : headers_)
    if (k == n) v = val;
  return v;
}

std::vector<std::string> HttpResponse::headers(const std::string& name) const {
  std::string n = lower(name);
  std::vector<std::string> out;
  for (const auto& [k, val] : headers_)
    if (k == n) out.push_back(val);
  return out;
}

size_t HttpResponse::read(char* out, size_t n) {
  while (bufPos_ == buf_.size()) {
    if (done_) {
      if (result_ != CURLE_OK) failTransport();
      return 0;
    }
    if (paused_) {
      paused_ = false;
      buf_.clear();
      bufPos_ = 0;
      curl_easy_pause(easy_, CURLPAUSE_CONT);
    }
    pump();
  }
  size_t k = std::min(n, buf_.size() - bufPos_);
  std::memcpy(out, buf_.data() + bufPos_, k);
  bufPos_ += k;
  return k;
}

std::string HttpResponse::readAll(int64_t cap) {
  std::string out;
  char chunk[1 << 14];
  for (size_t k; (k = read(chunk, sizeof chunk)) > 0;) {
    if (static_cast<int64_t>(out.size() + k) > cap) throw std::length_error("reply too large");
    out.append(chunk, k);
  }
  return out;
}

std::string urlEscape(const std::string& s) {
  return percentEncode(s);
}

}  // namespace pd
