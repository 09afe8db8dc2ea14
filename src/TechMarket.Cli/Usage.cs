namespace TechMarket.Cli;

internal static class Usage
{
    public const string Text = """
        用法：techmarket <命令> [选项]

        命令：
          segment            中文分词（与 jieba 0.42.1 一致）
          eval search|match  在基准数据上评测检索与匹配
          rank train|predict 训练与使用排序模型（LambdaMART）
          schedule meetings|campaign  百日百场：会谈排程与活动分配
        """;
}
