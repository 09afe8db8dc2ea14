namespace TechMarket.Cli;

internal static class Usage
{
    public const string Text = """
        用法：techmarket <命令> [选项]

        命令：
          segment            中文分词（与 jieba 0.42.1 一致）
          eval search|match  在基准数据上评测检索与撮合
          match features|train  生成撮合训练特征；用平台标注重新训练撮合模型
          rank train|predict|eval|synth  训练、使用与评测排序模型（LightGBM lambdarank，经 ML.NET），生成合成数据
          schedule meetings|campaign  百日百场：会谈排程与活动分配
          seed               生成示例市场数据（示例数据）
          import             从 CSV / Excel 导入需求或成果
          export             导出需求或成果到 CSV / Excel
          backup             在服务运行时备份 SQLite 数据库
          db                 数据库：升级结构、查看版本、输出建表脚本
          reindex            从业务数据重建检索索引
        """;
}
