#include "output/policy_search_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>

#include "output/file_kinds.hpp"
#include "output/hdf5_file_reader.hpp"
#include "output/hdf5_file_writer.hpp"
#include "output/provenance.hpp"

namespace wfsim::output {
namespace {

struct Group {
  const char* name;
  const char* description;
  ColumnTable PolicySearchTables::*table;
};
constexpr std::array kGroups{
    Group{"levers", "One row per lever of the levers file", &PolicySearchTables::levers},
    Group{"variables", "One row per number a lever varies, in the levers file's order",
          &PolicySearchTables::variables},
    Group{"candidates", "One row per package the search evaluated; row 0 is the reference (every lever off)",
          &PolicySearchTables::candidates},
    Group{"contenders", "One row per on/off set of the levers, with its race",
          &PolicySearchTables::contenders},
    Group{
        "packages",
        "One row per package run again on the fresh seed: the finalists in the search's order, then frontier "
        "packages by spend; these are the figures to report",
        &PolicySearchTables::packages},
};

using Info = PolicySearchFileInfo;
constexpr std::array<AttributeField<Info>, 20> kSearchAttributes{{
    {"reference", &Info::reference},
    {"objective", &Info::objective},
    {"objective_units", &Info::objective_units},
    {"budget_gbp", &Info::budget_gbp},
    {"budget_rule", &Info::budget_rule},
    {"max_probability", &Info::max_probability},
    {"seed", &Info::seed},
    {"replications", &Info::replications},
    {"max_replications", &Info::max_replications},
    {"max_evaluations", &Info::max_evaluations},
    {"racing_z", &Info::racing_z},
    {"budget_margin_z", &Info::budget_margin_z},
    {"rerun_seed", &Info::rerun_seed},
    {"rerun_replications", &Info::rerun_replications},
    {"rounds", &Info::rounds},
    {"evaluations", &Info::evaluations},
    {"replications_simulated", &Info::replications_simulated},
    {"seconds", &Info::seconds},
    {"stop_reason", &Info::stop_reason},
    {"reference_score", &Info::reference_score},
}};

void validate(const std::filesystem::path& final_path, const PolicySearchTables& tables) {
  check_final_path(final_path, "policy search file");
  const auto fail = [&](const std::string& message) {
    throw std::runtime_error(
        fmt::format("cannot write policy search file '{}': {}", final_path.string(), message));
  };
  for (const Group& group : kGroups) {
    const ColumnTable& table = tables.*group.table;
    const std::size_t rows = table.rows();
    const auto same = [&](std::size_t size, const std::string& name) {
      if (size != rows) fail(fmt::format("/{}/{} has {} rows, expected {}", group.name, name, size, rows));
    };
    for (const NumberColumn& c : table.numbers) same(c.values.size(), c.name);
    for (const TextColumn& c : table.texts) same(c.values.size(), c.name);
    for (const MatrixColumn& c : table.matrices)
      same(c.columns == 0 ? rows : c.values.size() / c.columns, c.name);
  }
}

struct PolicySearchFileWriter : h5::FileWriter {
  explicit PolicySearchFileWriter(const std::filesystem::path& path)
      : h5::FileWriter("policy search file", path) {}

  void write_table(hid_t parent, const std::string& group_name, const ColumnTable& table) {
    for (const NumberColumn& c : table.numbers) {
      const std::string where = fmt::format("/{}/{}", group_name, c.name);
      if (c.integer) {
        std::vector<int> ints(c.values.size());
        std::transform(c.values.begin(), c.values.end(), ints.begin(),
                       [](double v) { return static_cast<int>(v); });
        const h5::Dataset dataset = write_int_dataset(parent, c.name.c_str(), ints, where);
        describe(dataset.get(), c.units, c.description);
      } else {
        const h5::Dataset dataset = write_double_dataset(parent, c.name.c_str(), c.values, where);
        describe(dataset.get(), c.units, c.description);
      }
    }
    for (const TextColumn& c : table.texts) {
      const h5::Dataset dataset =
          write_string_dataset(parent, c.name.c_str(), c.values, fmt::format("/{}/{}", group_name, c.name));
      describe(dataset.get(), "", c.description);
    }
    for (const MatrixColumn& c : table.matrices) {
      const std::string where = fmt::format("/{}/{}", group_name, c.name);
      const hsize_t rows = c.columns == 0 ? table.rows() : c.values.size() / c.columns;
      const h5::Dataset dataset =
          create_table(parent, c.name.c_str(), rows, c.columns, 0, H5P_DEFAULT, where);
      if (!c.values.empty()) h5::FileWriter::write_table(dataset.get(), c.values, where);
      describe(dataset.get(), c.units, c.description);
    }
  }

  void write(const PolicySearchFileInfo& info, const PolicySearchTables& tables) {
    create_file();
    const hid_t root = file.get();
    write_provenance(*this, root, kPolicySearchFile, info);
    {
      const h5::Group search = create_group(root, "search", "/search");
      write_attributes<Info>(*this, search.get(), info, kSearchAttributes);
    }
    for (const Group& group : kGroups) {
      const h5::Group g = create_group(root, group.name, fmt::format("/{}", group.name));
      write_string_attribute(g.get(), "description", group.description);
      write_table(g.get(), group.name, tables.*group.table);
    }
    publish();
  }
};

struct PolicySearchFileReader : h5::RefusingFileReader<PolicySearchFileInputError> {
  explicit PolicySearchFileReader(const std::filesystem::path& path)
      : RefusingFileReader(kPolicySearchFile, path) {}

  ColumnTable read_table(hid_t group, const std::string& group_name) {
    ColumnTable table;
    for (const std::string& name : members(group, "/" + group_name)) {
      const std::string where = fmt::format("/{}/{}", group_name, name);
      const h5::Dataset dataset = open_dataset(group, name, where);
      const h5::Datatype type(check(H5Dget_type(dataset.get()), fmt::format("read the type of {}", where)));
      const auto dims = shape_of(dataset.get(), where);
      const std::string units = optional_string_attribute(dataset.get(), "units");
      const std::string description = optional_string_attribute(dataset.get(), "description");
      if (H5Tget_class(type.get()) == H5T_STRING) {
        table.texts.push_back({name, description, read_string_dataset(group, name, where)});
      } else if (dims.size() == 2) {
        const auto total = static_cast<std::size_t>(dims[0] * dims[1]);
        table.matrices.push_back({name, units, description, static_cast<std::size_t>(dims[1]),
                                  read_doubles(dataset.get(), total, where)});
      } else if (dims.size() == 1) {
        const bool integer = H5Tget_class(type.get()) == H5T_INTEGER;
        table.numbers.push_back({name, units, description,
                                 read_doubles(dataset.get(), static_cast<std::size_t>(dims[0]), where),
                                 integer});
      } else {
        refuse(fmt::format("is malformed: {} is neither a column nor a table", where));
      }
    }
    const std::size_t rows = table.rows();
    const auto check_rows = [&](std::size_t size, const std::string& name) {
      if (size != rows)
        refuse(fmt::format("is malformed: /{}/{} has {} rows, not {}", group_name, name, size, rows));
    };
    for (const NumberColumn& c : table.numbers) check_rows(c.values.size(), c.name);
    for (const TextColumn& c : table.texts) check_rows(c.values.size(), c.name);
    return table;
  }

  PolicySearchRecord read() {
    auto record = open_record<PolicySearchRecord>(*this);
    PolicySearchFileInfo& info = record.info;
    const hid_t root = file.get();
    {
      const h5::Group search = open_group(root, "search", "/search");
      read_attributes<Info>(*this, search.get(), info, kSearchAttributes);
    }
    for (const Group& group : kGroups) {
      const h5::Group g = open_group(root, group.name, fmt::format("/{}", group.name));
      record.tables.*group.table = read_table(g.get(), group.name);
    }
    const auto require = [&](const ColumnTable& table, std::string_view group,
                             std::span<const std::string_view> names) {
      for (std::string_view name : names) {
        const bool found = std::any_of(table.numbers.begin(), table.numbers.end(),
                                       [&](const NumberColumn& c) { return c.name == name; }) ||
                           std::any_of(table.texts.begin(), table.texts.end(),
                                       [&](const TextColumn& c) { return c.name == name; });
        if (!found) refuse(fmt::format("is malformed: it has no /{}/{}", group, name));
      }
    };
    require(record.tables.candidates, "candidates", kRequiredCandidateColumns);
    require(record.tables.packages, "packages", kRequiredPackageColumns);
    return record;
  }
};

}  // namespace

std::size_t ColumnTable::rows() const {
  if (!numbers.empty()) return numbers.front().values.size();
  if (!texts.empty()) return texts.front().values.size();
  return 0;
}

const std::vector<double>& ColumnTable::number(std::string_view name) const {
  for (const NumberColumn& c : numbers)
    if (c.name == name) return c.values;
  throw std::out_of_range(fmt::format("no column {}", name));
}

const std::vector<std::string>& ColumnTable::text(std::string_view name) const {
  for (const TextColumn& c : texts)
    if (c.name == name) return c.values;
  throw std::out_of_range(fmt::format("no column {}", name));
}

const MatrixColumn& ColumnTable::matrix(std::string_view name) const {
  for (const MatrixColumn& c : matrices)
    if (c.name == name) return c;
  throw std::out_of_range(fmt::format("no table {}", name));
}

void write_policy_search_file(const std::filesystem::path& final_path, const PolicySearchFileInfo& info,
                              const PolicySearchTables& tables) {
  validate(final_path, tables);
  PolicySearchFileWriter writer(final_path);
  writer.write(info, tables);
}

PolicySearchRecord read_policy_search_file(const std::filesystem::path& path) {
  PolicySearchFileReader reader(path);
  return reader.read();
}

}  // namespace wfsim::output
