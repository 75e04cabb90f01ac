#include "engine/eval/json_path.h"

#include <simdjson.h>

#include <map>

namespace cairn::engine {

namespace {

namespace dom = simdjson::dom;

struct Step {
  std::string name;             // "" for a bare {} / {N}
  std::vector<long> indexes;    // -1 for {}, else N
};

std::optional<std::vector<Step>> ParsePath(std::string_view path) {
  std::vector<Step> steps;
  size_t i = 0;
  while (i <= path.size()) {
    Step st;
    while (i < path.size() && path[i] != '.' && path[i] != '{') st.name.push_back(path[i++]);
    while (i < path.size() && path[i] == '{') {
      size_t close = path.find('}', i);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner.empty()) {
        st.indexes.push_back(-1);
      } else {
        long n = 0;
        for (char c : inner) {
          if (c < '0' || c > '9' || n > 100000000) return std::nullopt;
          n = n * 10 + (c - '0');
        }
        st.indexes.push_back(n);
      }
      i = close + 1;
    }
    steps.push_back(std::move(st));
    if (i >= path.size()) break;
    if (path[i] != '.') return std::nullopt;
    ++i;
  }
  return steps;
}

std::string Text(dom::element e) {
  switch (e.type()) {
    case dom::element_type::STRING: {
      std::string_view v;
      return e.get_string().get(v) ? std::string() : std::string(v);
    }
    case dom::element_type::NULL_VALUE: return "";
    default: return simdjson::minify(e);
  }
}

void Walk(dom::element e, const std::vector<Step>& steps, size_t at, std::vector<std::string>* out) {
  if (at == steps.size()) {
    if (!e.is_null()) out->push_back(Text(e));
    return;
  }
  const Step& st = steps[at];
  std::vector<dom::element> current;
  if (st.name.empty()) {
    current.push_back(e);
  } else {
    dom::object obj;
    dom::element member;
    if (e.get_object().get(obj) || obj.at_key(st.name).get(member)) return;
    current.push_back(member);
  }
  for (long index : st.indexes) {
    std::vector<dom::element> next;
    for (dom::element c : current) {
      dom::array arr;
      if (c.get_array().get(arr)) continue;  // not an array: `{}` and `{N}` select nothing
      if (index < 0) {
        for (dom::element x : arr) next.push_back(x);
      } else {
        dom::element x;
        if (!arr.at(static_cast<size_t>(index)).get(x)) next.push_back(x);
      }
    }
    current = std::move(next);
  }
  for (dom::element c : current) Walk(c, steps, at + 1, out);
}

void Leaves(dom::element e, const std::string& name, std::map<std::string, size_t>* order,
            std::vector<std::pair<std::string, std::vector<std::string>>>* out) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      dom::object obj;
      if (e.get_object().get(obj)) return;
      for (auto [key, value] : obj) Leaves(value, name.empty() ? std::string(key) : name + "." + std::string(key), order, out);
      return;
    }
    case dom::element_type::ARRAY: {
      dom::array arr;
      if (e.get_array().get(arr)) return;
      for (dom::element x : arr) Leaves(x, name + "{}", order, out);
      return;
    }
    case dom::element_type::NULL_VALUE: return;
    default: {
      if (name.empty()) return;
      auto [it, fresh] = order->emplace(name, out->size());
      if (fresh) out->push_back({name, {}});
      (*out)[it->second].second.push_back(Text(e));
    }
  }
}

}  // namespace

std::optional<std::vector<std::string>> JsonPathValues(std::string_view json, std::string_view path) {
  std::optional<std::vector<Step>> steps = ParsePath(path);
  if (!steps) return std::vector<std::string>{};
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return std::nullopt;
  std::vector<std::string> out;
  Walk(root, *steps, 0, &out);
  return out;
}

std::optional<std::vector<std::pair<std::string, std::vector<std::string>>>> JsonLeaves(std::string_view json) {
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return std::nullopt;
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  std::map<std::string, size_t> order;
  Leaves(root, "", &order, &out);
  return out;
}

}  // namespace cairn::engine
