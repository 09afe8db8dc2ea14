namespace TechMarket.Text;

/// <summary>A keyword and its TF-IDF weight.</summary>
/// <param name="Word">The normalised keyword.</param>
/// <param name="Weight">Term frequency × jieba's IDF, divided by the number of counted words (jieba's <c>extract_tags</c>).</param>
public sealed record KeywordWeight(string Word, double Weight);
