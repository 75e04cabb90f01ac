// Search-time fields: the field aliases and calculated fields of Splunk's props.conf
// (FIELDALIAS-<class> = src AS alias ..., EVAL-<field> = expression), per sourcetype.
// cairn ships a default set for AWS sources (engine/config/aws_props.conf, following the
// Splunk Add-on for AWS and the CIM); an index directory's own props.conf adds to it.
// Splunk's order holds: aliases first (in class order, a later one overwriting an earlier
// one when its source exists; ASNEW never overwrites), then calculated fields, each from
// the event as the aliases left it, so an EVAL may read an alias but not another EVAL.
// Apply() adds them to a decoded record; the search part expands them into the plan
// (engine/search/field_expansion.h). Immutable once loaded; safe to share across threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/status.h"
#include "engine/pipeline/record.h"
#include "query/ast.h"
#include "query/eval_ast.h"

namespace cairn::engine {

struct EvalContext;

/// One `source AS alias` (or `source ASNEW alias`) of a FIELDALIAS line.
struct FieldAlias {
  std::string source, alias;
  bool overwrite = true;  ///< AS; ASNEW keeps a value the event already has
};

/// One EVAL-<field> line.
struct CalculatedField {
  std::string field;
  std::string text;  ///< the expression as written
  std::shared_ptr<const query::EvalExpr> expr;
};

/// What one sourcetype's stanzas define.
struct SourcetypeFields {
  std::vector<FieldAlias> aliases;          ///< in Splunk's order of application
  std::vector<CalculatedField> calculated;  ///< one per field, in name order
};

class SearchTimeFields {
 public:
  /// The default set alone.
  static const SearchTimeFields& Defaults();

  /// Adds the stanzas of props.conf `text` (read from `origin`, for messages); a later
  /// definition of the same class or field replaces the earlier one. Lines that cannot be
  /// used are skipped and described in `problems` ("origin:12: ...").
  void AddConf(std::string_view text, const std::string& origin, std::vector<std::string>* problems);
  /// The defaults plus `path` when it exists (an index directory's props.conf).
  static Result<SearchTimeFields> Load(const std::string& path, std::vector<std::string>* problems);

  /// The definitions for `sourcetype`, or null.
  const SourcetypeFields* For(std::string_view sourcetype) const;
  const std::map<std::string, SourcetypeFields, std::less<>>& sourcetypes() const { return by_sourcetype_; }
  /// True if some sourcetype defines `field` (as an alias or a calculated field).
  bool Defines(std::string_view field) const;
  /// Every field some sourcetype defines, sorted.
  std::vector<std::string> DefinedFields() const;
  /// The fields that computing `field` may read (alias sources, the expressions' fields),
  /// with `sourcetype`; empty when nothing defines it.
  std::vector<std::string> SourcesOf(std::string_view field) const;
  bool empty() const { return by_sourcetype_.empty(); }
  /// The most fields (aliases and calculated fields) that Apply adds to one record.
  size_t MostAdded() const;

  /// Adds the aliases and calculated fields of the record's sourcetype to `record`: all of
  /// them, or those named in `only` (and the aliases they read).
  void Apply(Record* record, EvalContext* ctx, const std::vector<std::string>* only = nullptr) const;

  /// A calculated field of `sourcetype` as the search part evaluates it (query::SearchEval).
  static std::shared_ptr<const query::SearchEval> ForSearch(const SourcetypeFields& fields,
                                                            const CalculatedField& calculated);

 private:
  void Rebuild(std::string_view sourcetype);

  // class name -> line, per sourcetype, as read; by_sourcetype_ is built from them.
  struct Stanza {
    std::map<std::string, std::vector<FieldAlias>> alias_classes;
    std::map<std::string, CalculatedField> calculated;
  };
  std::map<std::string, Stanza, std::less<>> stanzas_;
  std::map<std::string, SourcetypeFields, std::less<>> by_sourcetype_;
};

/// The value of `eval` for `record`: its aliases applied to a copy of the fields it reads,
/// then its expression; empty when null.
FieldCell ComputeSearchEval(const query::SearchEval& eval, const Record& record, EvalContext* ctx);

}  // namespace cairn::engine
