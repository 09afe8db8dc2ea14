namespace TechMarket.Text;

/// <summary>
/// Raised when the data the analysis needs (jieba's dictionary and HMM tables, OpenCC, a user
/// dictionary) is missing or malformed. The message is in Chinese and says how to fix it.
/// </summary>
public sealed class TextDataException : Exception
{
    /// <summary>Creates the exception with a Chinese message a user can act on.</summary>
    public TextDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a Chinese message and the underlying cause.</summary>
    public TextDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic Chinese message.</summary>
    public TextDataException()
        : base("文本分析数据不可用")
    {
    }
}
