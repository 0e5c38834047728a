using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// The rules a record's values must keep, checked at compile time here and at run time by the runtime's
/// <c>ActivityValidation</c>; <c>ValidationAgreementTests</c> proves the two agree.
/// </summary>
internal static partial class UseCaseParser
{
    /// <summary>An action name: 1-100 characters of <c>[a-z0-9_.:-]</c>.</summary>
    public static bool IsValidAction(string action) =>
        action.Length is > 0 and <= 100 &&
        action.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-');

    /// <summary>The rule every record checks at run time for an entity type: 1-100 characters, not blank, no control characters.</summary>
    public static bool IsValidEntityType(string entityType) => IsValidText(entityType, 100);

    /// <summary>The runtime's text rule: 1 to <paramref name="maxLength"/> characters, no control characters, not blank.</summary>
    public static bool IsValidText(string text, int maxLength) =>
        text.Length > 0 && text.Length <= maxLength && !text.Any(char.IsControl) && !text.All(char.IsWhiteSpace);

    /// <summary>A metadata value type the runtime stores as JSON: text, bool, numbers, Guid, dates and times, enums, or a flat array of those.</summary>
    internal static bool IsJsonSafe(ITypeSymbol type, KnownTypes known, bool allowArray)
    {
        if (type is IArrayTypeSymbol array)
        {
            return allowArray && array.Rank == 1 && IsJsonSafe(array.ElementType, known, allowArray: false);
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return IsJsonSafe(nullable.TypeArguments[0], known, allowArray: false);
        }

        return type.TypeKind == TypeKind.Enum ||
               type.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_SByte or
                   SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or
                   SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or
                   SpecialType.System_Double or SpecialType.System_Decimal ||
               KnownTypes.Is(type, known.Guid) || KnownTypes.Is(type, known.DateTimeOffset) ||
               KnownTypes.Is(type, known.DateOnly) || KnownTypes.Is(type, known.TimeOnly);
    }
}
