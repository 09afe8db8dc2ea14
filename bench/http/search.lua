-- wrk script: rotates 2–4-word Chinese technical queries (half of them with a field filter) over /api/search.
local queries = {
  "磁性材料 烧结", "注塑 工艺 优化", "锂电池 正极材料", "神经网络 预测 模型", "废水 处理 工艺",
  "复合材料 力学性能", "传感器 信号 处理", "催化剂 制备 表征", "图像 识别 算法", "土壤 重金属 污染",
  "永磁 电机 控制", "纳米 涂层 耐腐蚀", "光纤 传感 温度", "基因 表达 调控", "风电 并网 功率",
}
local fields = { "", "&field=" .. "%E6%96%B0%E6%9D%90%E6%96%99" }
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  local path = "/api/search?pageSize=10&q=" .. encode(q) .. fields[(i % 2) + 1]
  return wrk.format("GET", path)
end
