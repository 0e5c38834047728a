using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Whether a member holds personal data: it carries an attribute named <c>PersonalDataAttribute</c> (AuditGen's own, or
/// ASP.NET Core Identity's — matched by name so no Identity reference is needed) or one derived from it (Identity's
/// <c>ProtectedPersonalDataAttribute</c>).
/// </summary>
internal static class PersonalData
{
    private const string AttributeName = "PersonalDataAttribute";

    public static bool IsPersonal(ISymbol member)
    {
        foreach (AttributeData attribute in member.GetAttributes())
        {
            for (INamedTypeSymbol? type = attribute.AttributeClass; type is not null; type = type.BaseType)
            {
                if (type.Name == AttributeName)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
