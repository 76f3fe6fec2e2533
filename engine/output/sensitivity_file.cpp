#include "output/sensitivity_file.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include "output/file_kinds.hpp"
#include "output/hdf5_file_reader.hpp"
#include "output/hdf5_file_writer.hpp"
#include "output/provenance.hpp"

namespace wfsim::output {
namespace {

using Info = SensitivityFileInfo;
// Files of either design have these; a missing output_units, scenario or policy reads as empty.
constexpr std::array<AttributeField<Info>, 9> kDesignAttributes{{
    {"design", &Info::design},
    {"output", &Info::output},
    {"output_units", &Info::output_units, true},
    {"scenario", &Info::scenario, true},
    {"policy", &Info::policy, true},
    {"replications", &Info::replications},
    {"seed", &Info::seed},
    {"base_value", &Info::base_value},
    {"evaluations", &Info::evaluations},
}};
constexpr std::array<AttributeField<Info>, 2> kMorrisAttributes{{
    {"trajectories", &Info::trajectories},
    {"levels", &Info::levels},
}};

void validate(const std::filesystem::path& final_path, const SensitivityFileInfo& info,
              const SensitivityColumns& columns) {
  check_final_path(final_path, "sensitivity file");
  const auto fail = [&](const std::string& message) {
    throw std::runtime_error(
        fmt::format("cannot write sensitivity file '{}': {}", final_path.string(), message));
  };
  if (info.design != "tornado" && info.design != "morris")
    fail(fmt::format("unknown design '{}'", info.design));
  const std::size_t n = columns.parameters.size();
  const auto same = [&](const auto& column, std::string_view name, bool wanted) {
    if (column.size() != (wanted ? n : 0)) {
      fail(fmt::format("column {} has {} entries, expected {}", name, column.size(), wanted ? n : 0));
    }
  };
  const bool tornado = info.design == "tornado";
  same(columns.baseline, "baseline", true);
  same(columns.low, "low", true);
  same(columns.high, "high", true);
  same(columns.flips_ranking, "flips_ranking", true);
  same(columns.output_low, "output_low", tornado);
  same(columns.output_high, "output_high", tornado);
  same(columns.mu, "mu", !tornado);
  same(columns.mu_star, "mu_star", !tornado);
  same(columns.sigma, "sigma", !tornado);
}

struct SensitivityFileWriter : h5::FileWriter {
  explicit SensitivityFileWriter(const std::filesystem::path& path)
      : h5::FileWriter("sensitivity file", path) {}

  void write(const SensitivityFileInfo& info, const SensitivityColumns& columns) {
    create_file();
    const hid_t root = file.get();
    write_provenance(*this, root, kSensitivityFile, info);
    {
      const h5::Group group = create_group(root, "sensitivity", "/sensitivity");
      const hid_t g = group.get();
      write_attributes<Info>(*this, g, info, kDesignAttributes);
      if (info.design == "morris") write_attributes<Info>(*this, g, info, kMorrisAttributes);
      write_string_dataset(g, "parameters", columns.parameters, "/sensitivity/parameters");
      const auto doubles = [&](const char* name, const std::vector<double>& values, std::string_view units,
                               std::string_view description) {
        const h5::Dataset dataset =
            write_double_dataset(g, name, values, fmt::format("/sensitivity/{}", name));
        describe(dataset.get(), units, description);
      };
      const std::string output_units = info.output_units;
      doubles("baseline", columns.baseline, "parameter units",
              "Each parameter's value in the reference scenario (in the policy, for a lever only the policy "
              "switches on)");
      doubles("low", columns.low, "parameter units", "Low end of each parameter's range");
      doubles("high", columns.high, "parameter units", "High end of each parameter's range");
      if (info.design == "tornado") {
        doubles("output_low", columns.output_low, output_units,
                "The output with this parameter at its low value and the others at their own");
        doubles("output_high", columns.output_high, output_units,
                "The output with this parameter at its high value and the others at their own");
      } else {
        doubles("mu", columns.mu, output_units, "Mean elementary effect: output change per whole range");
        doubles("mu_star", columns.mu_star, output_units, "Mean absolute elementary effect");
        doubles("sigma", columns.sigma, output_units, "Standard deviation of the elementary effects");
      }
      const h5::Dataset flips =
          write_int_dataset(g, "flips_ranking", columns.flips_ranking, "/sensitivity/flips_ranking");
      describe(flips.get(), "0 or 1",
               "1 if the parameter can flip the sign of the mean policy - reference difference (always 0 "
               "without a policy)");
    }
    publish();
  }
};

struct SensitivityFileReader : h5::RefusingFileReader<SensitivityFileInputError> {
  explicit SensitivityFileReader(const std::filesystem::path& path)
      : RefusingFileReader(kSensitivityFile, path) {}

  SensitivityRecord read() {
    auto record = open_record<SensitivityRecord>(*this);
    SensitivityFileInfo& info = record.info;
    const hid_t root = file.get();

    const h5::Group group = open_group(root, "sensitivity", "/sensitivity");
    const hid_t g = group.get();
    read_attributes<Info>(*this, g, info, kDesignAttributes);
    if (info.design != "tornado" && info.design != "morris")
      refuse(fmt::format("has the unknown design \"{}\" (expected tornado or morris)", info.design));
    const bool tornado = info.design == "tornado";
    if (!tornado) read_attributes<Info>(*this, g, info, kMorrisAttributes);

    SensitivityColumns& columns = record.columns;
    columns.parameters = read_string_dataset(g, "parameters", "/sensitivity/parameters");
    const std::size_t n = columns.parameters.size();
    const auto column = [&](const char* name) {
      const std::string where = fmt::format("/sensitivity/{}", name);
      h5::Dataset dataset = open_dataset(g, name, where);
      const auto dims = shape_of(dataset.get(), where);
      if (dims.size() != 1 || dims[0] != n)
        refuse(fmt::format("is malformed: {} does not hold one value per parameter ({})", where, n));
      return dataset;
    };
    const auto doubles = [&](const char* name) {
      const h5::Dataset dataset = column(name);
      return read_doubles(dataset.get(), n, fmt::format("/sensitivity/{}", name));
    };
    columns.baseline = doubles("baseline");
    columns.low = doubles("low");
    columns.high = doubles("high");
    if (tornado) {
      columns.output_low = doubles("output_low");
      columns.output_high = doubles("output_high");
    } else {
      columns.mu = doubles("mu");
      columns.mu_star = doubles("mu_star");
      columns.sigma = doubles("sigma");
    }
    const h5::Dataset flips = column("flips_ranking");
    columns.flips_ranking = read_ints(flips.get(), n, "/sensitivity/flips_ranking");
    return record;
  }
};

}  // namespace

double SensitivityRecord::swing(std::size_t k) const {
  return std::fabs(columns.output_high.at(k) - columns.output_low.at(k));
}

SensitivityRecord read_sensitivity_file(const std::filesystem::path& path) {
  SensitivityFileReader reader(path);
  return reader.read();
}

void write_sensitivity_file(const std::filesystem::path& final_path, const SensitivityFileInfo& info,
                            const SensitivityColumns& columns) {
  validate(final_path, info, columns);
  SensitivityFileWriter writer(final_path);
  writer.write(info, columns);
}

}  // namespace wfsim::output
