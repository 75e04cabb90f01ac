// Hash functions: md5, sha1, sha256, sha512 of a value's text (each value of a multivalue),
// as lower-case hex, computed with OpenSSL's EVP digests.
#include <openssl/evp.h>

#include "engine/eval/functions.h"

namespace cairn::engine::eval_functions {

namespace {

std::string HexDigest(const EVP_MD* md, const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, md, nullptr) != 1) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace

EvalValue CallHash(query::EvalFunction fn, const Args& args) {
  const EVP_MD* md = fn == query::EvalFunction::kMd5    ? EVP_md5()
                     : fn == query::EvalFunction::kSha1 ? EVP_sha1()
                     : fn == query::EvalFunction::kSha256 ? EVP_sha256()
                                                          : EVP_sha512();
  if (args[0].is_null()) return EvalValue::Null();
  if (!args[0].is_multi()) return EvalValue::String(HexDigest(md, args[0].ToText()));
  std::vector<std::string> out;
  for (const std::string& v : args[0].values) out.push_back(HexDigest(md, v));
  return EvalValue::FromValues(std::move(out));
}

}  // namespace cairn::engine::eval_functions
