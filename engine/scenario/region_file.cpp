#include "scenario/region_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "scenario/analysis_file_parsing.hpp"
#include "scenario/document.hpp"

namespace wfsim::scenario {

using detail::fail;
using detail::Node;

namespace {

// Far beyond England's 153 councils; a bound keeps a hostile file small.
constexpr std::size_t kMaxCouncils = 1000;
// Region files extending region files: a chain longer than this is a cycle.
constexpr int kMaxExtendsDepth = 8;

std::vector<std::string> council_names(const Region& region) {
  std::vector<std::string> names;
  for (const auto& c : region.councils) names.push_back(c.name);
  return names;
}

// The index of the council `node` names, or a located error naming the nearest.
int council_named(const Region& region, const Node& node, const std::string& path) {
  const std::string name = detail::parse_text(node, path);
  const auto found = region.index_of.find(name);
  if (found != region.index_of.end()) return found->second;
  const auto nearest = detail::nearest_key(name, council_names(region));
  fail(node.location, path,
       fmt::format("'{}' is not a council of the region{}", detail::excerpt(name),
                   nearest ? fmt::format("; did you mean '{}'?", *nearest) : ""));
}

void read_councils(const std::filesystem::path& file, const Node& root, Region& region) {
  static const std::vector<std::string> kCouncilKeys = {"name", "scenario", "outside_neighbour_share"};
  const auto& items = detail::mapping_list(root, "", "councils", kCouncilKeys);
  if (items.size() > kMaxCouncils)
    fail(root.find("councils")->value.location, "councils",
         fmt::format("{} councils; at most {} are allowed", items.size(), kMaxCouncils));
  const detail::NumberRule share_rule{.noun = "a share", .min = 0, .max = 1};
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Node& item = items[i];
    const std::string path = detail::item_path("councils", i);
    RegionCouncil council;
    const Node& name = detail::require_key(item, path, "name");
    council.name = detail::parse_text(name, path + ".name");
    if (council.name.empty() || council.name.find_first_of("/:") != std::string::npos ||
        council.name == "region")
      fail(name.location, path + ".name",
           "a council's name must be non-empty, hold no '/' or ':' and not be \"region\"");
    if (auto [it, inserted] = region.index_of.emplace(council.name, static_cast<int>(i)); !inserted)
      fail(name.location, path + ".name",
           fmt::format("'{}' is already a council of the region ({})", detail::excerpt(council.name),
                       detail::item_path("councils", static_cast<std::size_t>(it->second))));
    const Node& scenario = detail::require_key(item, path, "scenario");
    const std::string relative = detail::parse_text(scenario, path + ".scenario");
    council.scenario_file = file.parent_path() / relative;
    // Read here first so that a missing or unreadable file is reported where the region names it.
    detail::read_input_file(council.scenario_file, "scenario", detail::kMaxYamlFileBytes, &scenario.location,
                            path + ".scenario");
    council.scenario = load_scenario(council.scenario_file);
    double outside = 0;
    if (const auto* entry = item.find("outside_neighbour_share"))
      outside = detail::parse_number(entry->value, path + ".outside_neighbour_share", share_rule);
    region.network.outside_neighbour_share.push_back(outside);
    const auto& time = council.scenario.parameters.time;
    const auto& first = region.councils.empty() ? council : region.councils.front();
    const auto& first_time = first.scenario.parameters.time;
    if (first_time.months != time.months || !(first_time.start == time.start))
      fail(scenario.location, path + ".scenario",
           fmt::format("the councils of a region share their start and months; {} starts {} for {} months, "
                       "{} starts {} for {}",
                       council.name, model::format_year_month(time.start), time.months, first.name,
                       model::format_year_month(first_time.start), first_time.months));
    region.councils.push_back(std::move(council));
  }
}

void read_neighbours(const Node& root, Region& region) {
  region.network.neighbours.assign(region.councils.size(), {});
  const auto* entry = root.find("neighbours");
  if (!entry) return;
  const Node& list = entry->value;
  if (list.type != Node::Type::sequence)
    fail(list.location, "neighbours",
         fmt::format("expected a list of pairs of council names, got {}", list.describe()));
  std::set<std::pair<int, int>> seen;
  for (std::size_t k = 0; k < list.items.size(); ++k) {
    const Node& pair = list.items[k];
    const std::string path = detail::item_path("neighbours", k);
    if (pair.type != Node::Type::sequence || pair.items.size() != 2)
      fail(pair.location, path, fmt::format("expected a pair of council names, got {}", pair.describe()));
    const std::array<int, 2> ends = {council_named(region, pair.items[0], path),
                                     council_named(region, pair.items[1], path)};
    if (ends[0] == ends[1]) fail(pair.location, path, "a council is not its own neighbour");
    if (!seen.insert({std::min(ends[0], ends[1]), std::max(ends[0], ends[1])}).second)
      fail(pair.location, path, "this pair is already listed");
    region.network.neighbours[static_cast<std::size_t>(ends[0])].push_back(ends[1]);
    region.network.neighbours[static_cast<std::size_t>(ends[1])].push_back(ends[0]);
  }
  for (auto& n : region.network.neighbours) std::sort(n.begin(), n.end());
}

void read_moves(const Node& root, Region& region) {
  static const std::vector<std::string> kMoveKeys = {"pay_weight", "caseload_weight", "reputation_weight"};
  const auto* entry = root.find("moves");
  if (!entry) return;
  const Node& moves = entry->value;
  detail::expect_mapping(moves, "moves", "a mapping of the movers' choice weights");
  detail::reject_unknown_keys(moves, "moves", kMoveKeys);
  const detail::NumberRule weight_rule{.noun = "a weight", .min = 0, .max = 100};
  const auto weight = [&](const char* key, double& out) {
    if (const auto* w = moves.find(key))
      out = detail::parse_number(w->value, std::string("moves.") + key, weight_rule);
  };
  weight("pay_weight", region.network.weights.pay);
  weight("caseload_weight", region.network.weights.caseload);
  weight("reputation_weight", region.network.weights.reputation);
}

// Present (even empty), the councils respond to their neighbours' pay.
void read_responses(const Node& root, Region& region) {
  static const std::vector<std::string> kResponseKeys = {"lag_months", "never_share"};
  const auto* entry = root.find("responses");
  if (!entry) return;
  const Node& responses = entry->value;
  detail::expect_mapping(
      responses, "responses",
      "a mapping: how long councils take to match a neighbour's supplement, and the share that "
      "never do");
  detail::reject_unknown_keys(responses, "responses", kResponseKeys);
  model::RegionResponses& out = region.network.responses;
  out.enabled = true;
  if (const auto* lag = responses.find("lag_months"))
    out.lag_months = static_cast<int>(
        detail::parse_number(lag->value, "responses.lag_months",
                             {.noun = "a whole number of months", .min = 1, .max = 120, .integer = true}));
  if (const auto* never = responses.find("never_share"))
    out.never_share =
        detail::parse_number(never->value, "responses.never_share", {.noun = "a share", .min = 0, .max = 1});
}

// Each item's scenario text is merged over the scenarios of the councils it
// names, as a scenario file is merged over the one it extends.
void apply_policies(const std::filesystem::path& file, const Node& root, Region& region) {
  static const std::vector<std::string> kPolicyKeys = {"councils", "scenario"};
  if (!root.find("policies")) return;
  const auto& items = detail::mapping_list(root, "", "policies", kPolicyKeys);
  for (std::size_t k = 0; k < items.size(); ++k) {
    const Node& item = items[k];
    const std::string path = detail::item_path("policies", k);
    const Node& councils = detail::require_key(item, path, "councils");
    std::vector<int> chosen;
    if (councils.type == Node::Type::scalar && councils.text == "all") {
      for (int c = 0; c < static_cast<int>(region.councils.size()); ++c) chosen.push_back(c);
    } else if (councils.type == Node::Type::sequence && !councils.items.empty()) {
      for (const Node& name_node : councils.items) {
        const int c = council_named(region, name_node, path + ".councils");
        if (std::find(chosen.begin(), chosen.end(), c) != chosen.end())
          fail(name_node.location, path + ".councils", "this council is already named");
        chosen.push_back(c);
      }
    } else {
      fail(councils.location, path + ".councils",
           fmt::format("expected all, or a non-empty list of council names, got {}", councils.describe()));
    }
    const Node& scenario = detail::require_key(item, path, "scenario");
    detail::expect_mapping(scenario, path + ".scenario", "a mapping of scenario keys, as in a scenario file");
    const std::string text = detail::flow_yaml(scenario);
    for (const int c : chosen) {
      RegionCouncil& council = region.councils[static_cast<std::size_t>(c)];
      const std::string display = fmt::format("{} line {} ({}.scenario, for {})", file.string(),
                                              scenario.location.line, path, council.name);
      const std::string name = council.scenario.name;
      const std::string description = council.scenario.description;
      try {
        council.scenario = load_scenario_over(council.scenario, text, display);
      } catch (const ScenarioError& e) {
        // The text is one line made from the region file: say where it is written there.
        if (e.file() != display) throw;
        fail(scenario.location, path + ".scenario." + e.key(),
             fmt::format("{} (merged over the scenario of {})", e.message(), council.name));
      }
      council.scenario.name = name;
      council.scenario.description = description;
      const auto& time = council.scenario.parameters.time;
      const auto& first = region.councils.front().scenario.parameters.time;
      if (time.months != first.months || !(time.start == first.start))
        fail(scenario.location, path + ".scenario",
             fmt::format(
                 "the councils of a region share their start and months; this makes {} start {} for {} "
                 "months, {} starts {} for {}",
                 council.name, model::format_year_month(time.start), time.months,
                 region.councils.front().name, model::format_year_month(first.start), first.months));
    }
  }
}

Region load_region_at_depth(const std::filesystem::path& file, int depth, const detail::Location* named_at) {
  static const std::vector<std::string> kRootKeys = {"name",       "description", "extends",   "councils",
                                                     "neighbours", "moves",       "responses", "policies"};
  const std::string text =
      detail::read_input_file(file, "region", detail::kMaxYamlFileBytes, named_at, named_at ? "extends" : "");
  const Node root = detail::parse_root(text, file.string(), kRootKeys);
  Region region;
  if (const auto* extends = root.find("extends")) {
    if (root.find("councils") || root.find("neighbours"))
      fail(extends->key_location, "extends",
           "a region that extends another takes its councils and neighbours from it; give them in one file");
    if (depth >= kMaxExtendsDepth)
      fail(extends->value.location, "extends",
           fmt::format("more than {} region files extend one another: is there a cycle?", kMaxExtendsDepth));
    const std::string relative = detail::parse_text(extends->value, "extends");
    region = load_region_at_depth(file.parent_path() / relative, depth + 1, &extends->value.location);
  } else {
    read_councils(file, root, region);
    read_neighbours(root, region);
  }
  region.file = file;
  region.name = detail::optional_text(root, "name");
  if (region.name.empty()) region.name = file.stem().string();
  if (region.name.find_first_of("/:") != std::string::npos) {
    const auto* name = root.find("name");
    fail(name ? name->value.location : root.location, "name",
         fmt::format("a region's name holds no '/' or ':' (without `name:`, it is the file's: '{}')",
                     detail::excerpt(region.name)));
  }
  region.description = detail::optional_text(root, "description");
  read_moves(root, region);
  read_responses(root, region);
  apply_policies(file, root, region);
  region.files.insert(region.files.begin(), file);
  return region;
}

}  // namespace

Region load_region(const std::filesystem::path& file) {
  return load_region_at_depth(file, 0, nullptr);
}

}  // namespace wfsim::scenario
