#include "remote/registry.h"

#include <openssl/evp.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/json.h"
#include "common/sha256.h"
#include "source/descriptor.h"

namespace pd {
namespace {

constexpr int64_t kMaxManifestBytes = 4 << 20;  // what registries themselves accept
constexpr int64_t kMaxSmallReplyBytes = 1 << 20;
constexpr int kMaxRedirects = 5;
constexpr int kMaxIndexDepth = 4;
const char* kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

std::string base64(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// The scheme, host and port of a URL: what decides whether credentials may go along.
std::string originOf(const std::string& url) {
  CURLU* u = curl_url();
  std::string out;
  if (u && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char *scheme = nullptr, *host = nullptr, *port = nullptr;
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(u, CURLUPART_HOST, &host, 0);
    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    out = std::string(scheme ? scheme : "") + "://" + (host ? host : "") + ":" + (port ? port : "");
    curl_free(scheme), curl_free(host), curl_free(port);
  }
  curl_url_cleanup(u);
  return out;
}

// `location` (absolute or relative) against the URL that answered with it.
std::string resolveUrl(const std::string& base, const std::string& location) {
  CURLU* u = curl_url();
  std::string out;
  char* full = nullptr;
  if (u && curl_url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK)
    out = full;
  curl_free(full);
  curl_url_cleanup(u);
  return out;
}

bool retryableTransport(CURLcode c) {
  return c == CURLE_COULDNT_CONNECT || c == CURLE_OPERATION_TIMEDOUT || c == CURLE_RECV_ERROR ||
         c == CURLE_SEND_ERROR || c == CURLE_GOT_NOTHING || c == CURLE_PARTIAL_FILE ||
         c == CURLE_HTTP2 || c == CURLE_HTTP2_STREAM;
}

// "MANIFEST_UNKNOWN: manifest unknown" from a Distribution error body, when it has one.
std::string registryErrorText(const std::string& body) {
  try {
    Json j = parseJson(body, "reply");
    if (j.is_object() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
      const Json& e = j["errors"][0];
      std::string code = e.value("code", Json("")).is_string() ? e.value("code", "") : "";
      std::string msg = e.value("message", Json("")).is_string() ? e.value("message", "") : "";
      return code + (msg.empty() ? "" : ": " + msg);
    }
  } catch (const std::exception&) {
  }
  return "";
}

struct BlobRef {
  std::string digest, mediaType;
  int64_t size = -1;
};

BlobRef readBlobRef(const Json& j, const std::string& where) {
  requireObject(j, where);
  BlobRef b;
  b.digest = getString(j, "digest", where, true);
  b.mediaType = getString(j, "mediaType", where);
  if (!validDigest(b.digest)) throw InputError(where, "malformed digest \"" + b.digest + "\"");
  auto s = j.find("size");
  if (s != j.end() && s->is_number_integer() && s->get<int64_t>() >= 0) b.size = s->get<int64_t>();
  return b;
}

}  // namespace

std::vector<AuthChallenge> parseAuthChallenges(const std::string& header) {
  std::vector<AuthChallenge> out;
  size_t i = 0, n = header.size();
  auto skipSpace = [&] {
    while (i < n && (header[i] == ' ' || header[i] == '\t' || header[i] == ',')) ++i;
  };
  while (true) {
    skipSpace();
    if (i >= n) break;
    size_t s = i;
    while (i < n && header[i] != ' ' && header[i] != ',') ++i;
    AuthChallenge c;
    c.scheme = header.substr(s, i - s);
    for (char& ch : c.scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    // auth-params: key=value or key="quoted", until the next scheme token (a word with no '=').
    while (true) {
      skipSpace();
      size_t k = i;
      while (i < n && header[i] != '=' && header[i] != ' ' && header[i] != ',') ++i;
      if (i >= n || header[i] != '=') {
        i = k;
        break;
      }
      std::string key = header.substr(k, i - k);
      for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      ++i;
      std::string value;
      if (i < n && header[i] == '"') {
        ++i;
        while (i < n && header[i] != '"') {
          if (header[i] == '\\' && i + 1 < n) ++i;
          value += header[i++];
        }
        ++i;
      } else {
        while (i < n && header[i] != ',' && header[i] != ' ') value += header[i++];
      }
      c.params[key] = value;
    }
    out.push_back(std::move(c));
  }
  return out;
}

namespace {

// One repository on one registry: requests with authentication, redirects and retries.
class RegistrySession {
 public:
  RegistrySession(ImageReference ref, RegistryOptions opt)
      : ref_(std::move(ref)), opt_(std::move(opt)), base_("https://" + ref_.apiHost()) {}

  const ImageReference& ref() const { return ref_; }
  std::string where() const { return ref_.str(); }

  // GET `path` (under base_), following redirects; credentials go only to the registry's own
  // origin (ECR sends blobs to S3, which refuses a second auth mechanism). Returns the final
  // answer, whatever its status, after authentication and retries.
  std::unique_ptr<HttpResponse> get(const std::string& path, std::vector<std::string> headers,
                                    int64_t rangeFrom = 0) {
    bool authTried = false;
    int attempt = 0, redirects = 0;
    std::string base = this->base(), url = base + path;
    for (;;) {
      bool ownOrigin = originOf(url) == originOf(base);
      std::string auth = authHeader();
      HttpRequest req{url, headers, rangeFrom, ""};
      if (ownOrigin && !auth.empty()) req.headers.push_back(auth);
      std::unique_ptr<HttpResponse> r;
      try {
        r = std::make_unique<HttpResponse>(req, opt_.http);
      } catch (const HttpTransportError& e) {
        if (redirects == 0 && attempt == 0 && maybeFallBackToHttp(e, url, path)) {
          base = this->base();
          continue;
        }
        if (retryableTransport(e.code) && ++attempt < opt_.maxAttempts) {
          sleepBackoff(attempt);
          continue;
        }
        throw InputError(where(), transportMessage(e, url));
      }
      long st = r->status();
      if (st == 401 && ownOrigin && !authTried) {
        authTried = true;
        reauthenticate(*r, auth);
        continue;
      }
      if (st == 401 && ownOrigin) {
        std::lock_guard<std::mutex> lock(m_);
        throw InputError(where(), unauthorizedMessage());
      }
      if (st >= 300 && st < 400 && st != 304) {
        std::string loc = r->header("Location");
        if (loc.empty()) throw InputError(where(), "redirect without a Location from " + url);
        if (++redirects > kMaxRedirects)
          throw InputError(where(), "too many redirects for " + path);
        url = resolveUrl(url, loc);
        if (url.empty()) throw InputError(where(), "redirect to a malformed URL");
        continue;
      }
      if ((st == 429 || st >= 500) && ++attempt < opt_.maxAttempts) {
        sleepBackoff(attempt);
        continue;
      }
      return r;
    }
  }

  // The body of a small document (a manifest or a token), refused past `cap`.
  static std::string readCapped(HttpResponse& r, int64_t cap, const std::string& where,
                                const std::string& what) {
    try {
      return r.readAll(cap);
    } catch (const std::length_error&) {
      throw InputError(where, what + " larger than " + std::to_string(cap >> 20) + " MiB: refused");
    } catch (const HttpTransportError& e) {
      throw InputError(where, what + ": connection broke: " + e.what());
    }
  }

  const RegistryOptions& options() const { return opt_; }

 private:
  std::string base() {
    std::lock_guard<std::mutex> lock(m_);
    return base_;
  }
  std::string authHeader() {
    std::lock_guard<std::mutex> lock(m_);
    return auth_;
  }
  // Answers a 401 once for every thread that saw it with the same header: a token that expired
  // while several blobs were fetched is fetched again once.
  void reauthenticate(const HttpResponse& r, const std::string& used) {
    std::lock_guard<std::mutex> lock(m_);
    if (auth_ == used) authenticate(r);
  }

  void sleepBackoff(int attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(opt_.backoffMs << (attempt - 1)));
  }

  // A plain-http registry answers the TLS handshake with garbage. Switch only when asked to.
  bool maybeFallBackToHttp(const HttpTransportError& e, std::string& url, const std::string& path) {
    if (e.code != CURLE_SSL_CONNECT_ERROR || base_.rfind("https://", 0) != 0) return false;
    std::lock_guard<std::mutex> lock(m_);
    if (!opt_.http.insecure)
      throw InputError(where(), ref_.apiHost() + " did not complete a TLS handshake (" + e.what() +
                                    "); if it is a plain-http registry, pass --insecure");
    base_ = "http://" + ref_.apiHost();
    url = base_ + path;
    return true;
  }

  std::string transportMessage(const HttpTransportError& e, const std::string& url) const {
    if (e.code == CURLE_PEER_FAILED_VERIFICATION || e.code == CURLE_SSL_CACERT_BADFILE)
      return "TLS certificate of " + ref_.apiHost() + " not trusted (" + e.what() + "): " +
             (opt_.http.caFile.empty() ? "pass --ca-file FILE with its CA, or --insecure"
                                       : "--ca-file " + opt_.http.caFile + " does not hold its CA");
    return "cannot reach " + url.substr(0, url.find('?')) + ": " + e.what();
  }

  std::string triedText() const {
    std::string t;
    for (const auto& s : tried_) t += (t.empty() ? "" : ", ") + s;
    return t.empty() ? "none found" : "looked in " + t;
  }

  std::string unauthorizedMessage() const {
    if (cred_.empty())
      return "unauthorized: " + ref_.registry + " needs credentials (" + triedText() +
             "); pass --creds USER[:PASSWORD], --authfile FILE, or log in with docker or podman";
    return "unauthorized: " + ref_.registry + " refused the credentials from " + cred_.source;
  }

  void loadCredential() {
    if (credLoaded_) return;
    credLoaded_ = true;
    cred_ = findCredential(ref_.registry, opt_.credentials, &tried_);
  }

  // Answers a 401's challenge: Basic with the credential, or a Bearer token from the realm.
  void authenticate(const HttpResponse& r) {
    std::vector<AuthChallenge> cs;
    for (const auto& h : r.headers("WWW-Authenticate"))
      for (auto& c : parseAuthChallenges(h)) cs.push_back(std::move(c));
    loadCredential();
    for (const auto& c : cs) {
      if (c.scheme == "bearer") {
        auth_ = "Authorization: Bearer " + fetchToken(c);
        return;
      }
    }
    for (const auto& c : cs) {
      if (c.scheme == "basic") {
        if (cred_.username.empty()) throw InputError(where(), unauthorizedMessage());
        auth_ = "Authorization: Basic " + base64(cred_.username + ":" + cred_.password);
        return;
      }
    }
    throw InputError(where(), "unauthorized, and the registry names no Basic or Bearer challenge");
  }

  std::string fetchToken(const AuthChallenge& c) {
    auto realm = c.params.find("realm");
    if (realm == c.params.end() || realm->second.empty())
      throw InputError(where(), "Bearer challenge without a realm");
    std::string scope =
        c.params.count("scope") ? c.params.at("scope") : "repository:" + ref_.repository + ":pull";
    std::string service = c.params.count("service") ? c.params.at("service") : "";
    std::string url = realm->second;
    url += (url.find('?') == std::string::npos ? "?" : "&");
    if (!service.empty()) url += "service=" + urlEscape(service) + "&";
    url += "scope=" + urlEscape(scope);
    HttpRequest req{url, {}, 0, ""};
    if (!cred_.identityToken.empty()) {
      // An identity token is an OAuth2 refresh token: exchanged by POST (the token server's
      // GET form takes only a password).
      req.url = realm->second;
      req.postBody = "grant_type=refresh_token&client_id=permdoctor&service=" + urlEscape(service) +
                     "&scope=" + urlEscape(scope) +
                     "&refresh_token=" + urlEscape(cred_.identityToken);
    } else if (!cred_.username.empty()) {
      req.headers.push_back("Authorization: Basic " +
                            base64(cred_.username + ":" + cred_.password));
    }
    std::unique_ptr<HttpResponse> r;
    try {
      r = std::make_unique<HttpResponse>(req, opt_.http);
    } catch (const HttpTransportError& e) {
      throw InputError(where(), "token service: " + transportMessage(e, url));
    }
    if (r->status() == 401 || r->status() == 403) throw InputError(where(), unauthorizedMessage());
    std::string body = readCapped(*r, kMaxSmallReplyBytes, where(), "token reply");
    if (r->status() != 200)
      throw InputError(where(), "token service answered HTTP " + std::to_string(r->status()));
    Json j = parseJson(body, where() + ": token reply");
    std::string token = j.is_object() ? getString(j, "token", where() + ": token reply") : "";
    if (token.empty() && j.is_object())
      token = getString(j, "access_token", where() + ": token reply");
    if (token.empty()) throw InputError(where(), "token reply has no token");
    return token;
  }

  ImageReference ref_;
  RegistryOptions opt_;
  std::mutex m_;      // guards what follows: detached blob reads share the session
  std::string base_;  // "https://host[:port]", or http:// with --insecure
  std::string auth_;  // the Authorization header line, once a challenge was answered
  Credential cred_;
  bool credLoaded_ = false;
  std::vector<std::string> tried_;
};

// A blob's bytes, resumed with a Range request when the connection breaks; its length is
// checked against the manifest's descriptor (the digest is checked by the layout reader).
class BlobReader : public ByteReader {
 public:
  BlobReader(RegistrySession& s, BlobRef blob) : s_(s), blob_(std::move(blob)) { open(0); }

  size_t read(char* buf, size_t n) override {
    for (int attempt = 1;; ++attempt) {
      try {
        size_t got = r_->read(buf, n);
        offset_ += static_cast<int64_t>(got);
        if (blob_.size >= 0 && offset_ > blob_.size)
          throw InputError(where(), "blob is larger than the manifest's " +
                                        std::to_string(blob_.size) + " bytes");
        if (got == 0 && blob_.size >= 0 && offset_ != blob_.size)
          throw InputError(where(), "blob ended after " + std::to_string(offset_) + " of " +
                                        std::to_string(blob_.size) + " bytes");
        return got;
      } catch (const HttpTransportError& e) {
        if (attempt >= s_.options().maxAttempts)
          throw InputError(where(), std::string("connection broke: ") + e.what());
        std::this_thread::sleep_for(
            std::chrono::milliseconds(s_.options().backoffMs << (attempt - 1)));
        open(offset_);
      }
    }
  }

 private:
  std::string where() const { return s_.where() + ": blob " + blob_.digest; }

  void open(int64_t from) {
    r_ = s_.get("/v2/" + s_.ref().repository + "/blobs/" + blob_.digest, {}, from);
    long st = r_->status();
    if (st == 404)
      throw InputError(s_.where(),
                       "blob " + blob_.digest + " does not exist in " + s_.ref().name());
    if (from > 0 && st == 200) {
      // The server ignored the Range: skip what we already have.
      std::vector<char> skip(1 << 16);
      for (int64_t left = from; left > 0;) {
        size_t got = r_->read(skip.data(), static_cast<size_t>(std::min<int64_t>(left, 1 << 16)));
        if (got == 0) throw InputError(where(), "blob shorter on a second read");
        left -= static_cast<int64_t>(got);
      }
    } else if (st != 200 && st != 206) {
      throw InputError(where(), "registry answered HTTP " + std::to_string(st));
    }
  }

  RegistrySession& s_;
  BlobRef blob_;
  std::unique_ptr<HttpResponse> r_;
  int64_t offset_ = 0;
};

class RegistryContainer : public Container {
 public:
  RegistryContainer(const ImageReference& ref, const RegistryOptions& opt)
      : s_(ref, opt), label_(ref.str()) {
    resolve();
  }

  bool next(OuterEntry& e) override {
    blob_.reset();
    docPos_ = 0;
    if (pos_ >= entries_.size()) return false;
    const Entry& en = entries_[pos_++];
    e.name = en.name;
    e.kind = OuterEntry::Kind::File;
    e.link.clear();
    current_ = &en;
    return true;
  }

  // A blob is requested when it is first read here, or by whoever opens it detached.
  size_t read(char* buf, size_t n) override {
    if (!current_->isDoc && !blob_) blob_ = std::make_unique<BlobReader>(s_, current_->blob);
    if (blob_) return blob_->read(buf, n);
    size_t k = std::min(n, current_->text.size() - docPos_);
    std::copy_n(current_->text.data() + docPos_, k, buf);
    docPos_ += k;
    return k;
  }

  const std::string& label() const override { return label_; }
  SourceInfo info() const override { return info_; }
  std::optional<DetachedEntry> detached() const override {
    if (!current_ || current_->isDoc || current_->blob.size < 0) return std::nullopt;
    RegistrySession* s = &s_;
    return DetachedEntry{current_->blob.size, [s, blob = current_->blob] {
                           return std::make_unique<BlobReader>(*s, blob);
                         }};
  }

 private:
  struct Entry {
    std::string name;
    bool isDoc = false;
    std::string text;  // a document we already hold (index.json, manifests)
    BlobRef blob;      // a blob still to fetch
  };

  // Fetches a manifest by tag or digest; returns its bytes and media type.
  std::string fetchManifest(const std::string& reference, std::string& mediaType,
                            std::string& digest) {
    auto r = s_.get("/v2/" + s_.ref().repository + "/manifests/" + reference, {kManifestAccept});
    long st = r->status();
    std::string body = RegistrySession::readCapped(*r, kMaxManifestBytes, label_, "manifest");
    if (st == 404)
      throw InputError(
          label_, (reference.rfind("sha256:", 0) == 0 ? "manifest " : "tag ") + reference +
                      " does not exist in " + s_.ref().name() + [&] {
                        std::string t = registryErrorText(body);
                        return t.empty() ? "" : " (" + t + ")";
                      }());
    if (st == 403) throw InputError(label_, "access to " + s_.ref().name() + " denied (HTTP 403)");
    if (st != 200) {
      std::string t = registryErrorText(body);
      throw InputError(label_, "manifest " + reference + ": registry answered HTTP " +
                                   std::to_string(st) + (t.empty() ? "" : " (" + t + ")"));
    }
    mediaType = r->header("Content-Type");
    if (auto semi = mediaType.find(';'); semi != std::string::npos) mediaType.resize(semi);
    digest = sha256Of(body);
    std::string said = r->header("Docker-Content-Digest");
    if (said.rfind("sha256:", 0) == 0 && said != digest)
      throw InputError(label_,
                       "manifest bytes hash to " + digest + " but the registry says " + said);
    if (reference.rfind("sha256:", 0) == 0 && reference != digest)
      throw InputError(label_,
                       "registry served a manifest hashing to " + digest + " for " + reference);
    return body;
  }

  // Tag -> manifest (through indexes, picking the platform) -> config and layers.
  void resolve() {
    std::string mt, digest;
    std::string body = fetchManifest(s_.ref().manifestRef(), mt, digest);
    info_.repoDigest = s_.ref().name() + "@" + digest;
    Json index = {
        {"schemaVersion", 2},
        {"manifests",
         Json::array({{{"mediaType", mt},
                       {"digest", digest},
                       {"size", body.size()},
                       {"annotations", {{"org.opencontainers.image.ref.name", label_}}}}})}};
    entries_.push_back({"index.json", true, index.dump(), {}});
    for (int depth = 0;; ++depth) {
      std::string where = label_ + ": manifest " + digest;
      Json j = parseJson(body, where);
      requireObject(j, where);
      std::string declared = getString(j, "mediaType", where);
      entries_.push_back({blobName(digest), true, body, {}});
      if (isIndexManifest(mt.empty() ? declared : mt, j)) {
        if (depth >= kMaxIndexDepth) throw InputError(where, "indexes nested too deep");
        Descriptor c = chooseFromIndex(j, s_.options().platform, label_, where);
        body = fetchManifest(c.digest, mt, digest);
        continue;
      }
      auto cfg = j.find("config");
      if (cfg == j.end()) throw InputError(where, "manifest has no config");
      BlobRef config = readBlobRef(*cfg, where);
      entries_.push_back({blobName(config.digest), false, "", config});
      auto ls = j.find("layers");
      if (ls == j.end() || !ls->is_array()) throw InputError(where, "manifest has no layers array");
      for (const auto& x : *ls) {
        BlobRef l = readBlobRef(x, where);
        entries_.push_back({blobName(l.digest), false, "", l});
      }
      return;
    }
  }

  mutable RegistrySession s_;  // shared by detached blob reads (it locks what they share)
  std::string label_;
  SourceInfo info_{"registry", ""};
  std::vector<Entry> entries_;
  size_t pos_ = 0;
  const Entry* current_ = nullptr;
  size_t docPos_ = 0;
  std::unique_ptr<BlobReader> blob_;
};

}  // namespace

std::unique_ptr<Container> openRegistry(const ImageReference& ref, const RegistryOptions& options) {
  return std::make_unique<RegistryContainer>(ref, options);
}

}  // namespace pd
