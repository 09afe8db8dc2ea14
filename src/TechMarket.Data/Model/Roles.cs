namespace TechMarket.Data.Model;

/// <summary>Identity role names. Members of enterprises and institutes get their role from their organisation.</summary>
public static class Roles
{
    public const string EnterpriseMember = "EnterpriseMember";
    public const string InstituteMember = "InstituteMember";
    public const string AgencyMember = "AgencyMember";
    public const string Broker = "Broker";
    public const string Organiser = "Organiser";
    public const string Admin = "Admin";

    /// <summary>登记员: registers technology contracts (技术合同认定登记) or refuses them.</summary>
    public const string Registrar = "Registrar";

    public static readonly IReadOnlyList<string> All = [EnterpriseMember, InstituteMember, AgencyMember, Broker, Organiser, Admin, Registrar];

    public static string ForOrganisation(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Enterprise => EnterpriseMember,
        OrganisationKind.Institute => InstituteMember,
        _ => AgencyMember,
    };
}
