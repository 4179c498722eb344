// The build report as `plinth report --format json` prints it: the BuildReport's fields as they
// are, sizes in bytes and times in seconds, so scripts need not parse the table.
#pragma once

#include <nlohmann/json.hpp>

#include "metrics/build_report.h"

namespace plinth::metrics {

nlohmann::json ReportJson(const BuildReport& report);

}  // namespace plinth::metrics
