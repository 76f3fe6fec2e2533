#include "scenario/schema_catalogue.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "scenario/document.hpp"
#include "scenario/schema.hpp"

namespace wfsim::scenario {

namespace {

SchemaEntry::Type type_of(const detail::FieldSpec& field) {
  using detail::Kind;
  if (field.numeric()) return SchemaEntry::Type::number;
  switch (field.kind) {
    case Kind::text:
      return SchemaEntry::Type::text;
    case Kind::run_month:
      return SchemaEntry::Type::run_month;
    case Kind::block:
      return SchemaEntry::Type::block;
    default:
      return SchemaEntry::Type::structured;
  }
}

std::vector<SchemaEntry> build_entries() {
  std::vector<SchemaEntry> entries;
  std::string block;
  for (const detail::FieldSpec& field : detail::schema_fields()) {
    SchemaEntry entry;
    entry.path = field.path;
    entry.type = type_of(field);
    entry.units = field.units;
    entry.description = field.description;
    entry.required = field.required;
    entry.range = field.range_column();
    entry.default_text = field.default_text;
    entry.certain_reason = field.certain_reason;
    if (entry.type == SchemaEntry::Type::number) entry.number = find_numeric_parameter(field.path);
    // A block's keys follow it in the table.
    if (entry.type == SchemaEntry::Type::block) {
      block = field.path;
    } else if (!block.empty() && !field.path.starts_with(block + ".")) {
      block.clear();
    }
    if (entry.type != SchemaEntry::Type::block) entry.block = block;
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

std::map<std::string, std::string, std::less<>> key_texts(const std::string& yaml_text,
                                                          const std::string& display_name) {
  const detail::Node root =
      detail::parse_document(yaml_text, std::make_shared<const std::string>(display_name));
  std::map<std::string, std::string, std::less<>> texts;
  for (const SchemaEntry& entry : schema_entries()) {
    if (entry.type == SchemaEntry::Type::text) continue;
    const detail::Node* node = &root;
    std::string_view rest = entry.path;
    for (;;) {
      const detail::Entry* found =
          node->type == detail::Node::Type::mapping ? node->find(rest.substr(0, rest.find('.'))) : nullptr;
      node = found ? &found->value : nullptr;
      if (!node || rest.find('.') == std::string_view::npos) break;
      rest.remove_prefix(rest.find('.') + 1);
    }
    if (!node) continue;
    texts[entry.path] = entry.type == SchemaEntry::Type::block ? "{}" : detail::flow_yaml(*node);
  }
  return texts;
}

std::span<const SchemaEntry> schema_entries() {
  static const std::vector<SchemaEntry> entries = build_entries();
  return entries;
}

const SchemaEntry* find_schema_entry(std::string_view path) {
  const auto entries = schema_entries();
  const auto found =
      std::find_if(entries.begin(), entries.end(), [&](const SchemaEntry& e) { return e.path == path; });
  return found == entries.end() ? nullptr : &*found;
}

}  // namespace wfsim::scenario
