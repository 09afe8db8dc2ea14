using System.Globalization;
using System.Text;

namespace TechMarket.Market.Alerts;

/// <summary>One e-mail to one person: plain text in Chinese, and a path on the site that the sender makes absolute.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body, string? Link = null);

/// <summary>
/// Where the market's e-mail goes. The grains know no SMTP: a deployment plugs in its relay; here and in tests
/// <see cref="FolderMailSender"/> writes each message as an .eml file.
/// </summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct = default);
}

/// <summary>The default for hosts that send no mail (the CLI, grain tests without a folder).</summary>
internal sealed class NoMailSender : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken ct = default) => Task.CompletedTask;
}

/// <summary>
/// Writes each message as an RFC 5322 .eml file (UTF-8, base64 body) into a folder, named by time so that a
/// directory listing reads in order. Any mail client opens them; a relay can pick them up from there.
/// </summary>
public sealed class FolderMailSender(string folder, string from, TimeProvider clock, string siteUrl = "http://localhost:5000") : IMailSender
{
    public string Folder { get; } = folder;

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        Directory.CreateDirectory(Folder);
        var now = clock.GetUtcNow();
        var name = $"{now:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.eml";
        var body = mail.Link is null ? mail.Body : mail.Body.Replace("{link}", siteUrl.TrimEnd('/') + mail.Link, StringComparison.Ordinal);
        var text = new StringBuilder()
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(Header(mail.To)).Append("\r\n")
            .Append("Subject: ").Append(Encoded(mail.Subject)).Append("\r\n")
            .Append("Date: ").Append(now.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(Path.GetFileNameWithoutExtension(name)).Append("@techmarket>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(body), Base64FormattingOptions.InsertLineBreaks))
            .Append("\r\n");

        // Write then rename, so that a reader of the folder never sees half a message.
        var path = Path.Combine(Folder, name);
        await File.WriteAllTextAsync(path + ".tmp", text.ToString(), new UTF8Encoding(false), ct);
        File.Move(path + ".tmp", path);
    }

    /// <summary>An address with line breaks removed, so that no header can be injected.</summary>
    private static string Header(string value) => value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    /// <summary>RFC 2047 encoded-word for a header with Chinese text.</summary>
    private static string Encoded(string value) => $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(Header(value)))}?=";
}
