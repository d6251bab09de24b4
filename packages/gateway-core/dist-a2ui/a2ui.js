var rn=Object.defineProperty;var fs=(t,e)=>{for(var s in e)rn(t,s,{get:e[s],enumerable:!0})};var an={bubbles:!0,cancelable:!0,composed:!0},ms=class t extends CustomEvent{static{this.eventName="a2uiaction"}constructor(e){super(t.eventName,{detail:e,...an}),this.payload=e}};var br={};fs(br,{isComponentArrayReference:()=>tr,isObject:()=>G,isPath:()=>er,isResolvedAudioPlayer:()=>sr,isResolvedButton:()=>rr,isResolvedCard:()=>ir,isResolvedCheckbox:()=>ar,isResolvedColumn:()=>nr,isResolvedDateTimeInput:()=>or,isResolvedDivider:()=>lr,isResolvedIcon:()=>ur,isResolvedImage:()=>cr,isResolvedList:()=>dr,isResolvedModal:()=>hr,isResolvedMultipleChoice:()=>pr,isResolvedRow:()=>fr,isResolvedSlider:()=>mr,isResolvedTabs:()=>gr,isResolvedText:()=>yr,isResolvedTextField:()=>vr,isResolvedVideo:()=>_r,isValueMap:()=>on});function on(t){return G(t)&&"key"in t}function er(t,e){return t==="path"&&typeof e=="string"}function G(t){return typeof t=="object"&&t!==null&&!Array.isArray(t)}function tr(t){return G(t)?"explicitList"in t||"template"in t:!1}function Oe(t){return G(t)&&("path"in t||"literal"in t&&typeof t.literal=="string"||"literalString"in t)}function ln(t){return G(t)&&("path"in t||"literal"in t&&typeof t.literal=="number"||"literalNumber"in t)}function cn(t){return G(t)&&("path"in t||"literal"in t&&typeof t.literal=="boolean"||"literalBoolean"in t)}function Ie(t){return!(!G(t)||!("id"in t&&"type"in t&&"properties"in t))}function sr(t){return G(t)&&"url"in t&&Oe(t.url)}function rr(t){return G(t)&&"child"in t&&Ie(t.child)&&"action"in t}function ir(t){return G(t)?"child"in t?Ie(t.child):"children"in t?Array.isArray(t.children)&&t.children.every(Ie):!1:!1}function ar(t){return G(t)&&"label"in t&&Oe(t.label)&&"value"in t&&cn(t.value)}function nr(t){return G(t)&&"children"in t&&Array.isArray(t.children)&&t.children.every(Ie)}function or(t){return G(t)&&"value"in t&&Oe(t.value)}function lr(t){return G(t)}function cr(t){return G(t)&&"url"in t&&Oe(t.url)}function ur(t){return G(t)&&"name"in t&&Oe(t.name)}function dr(t){return G(t)&&"children"in t&&Array.isArray(t.children)&&t.children.every(Ie)}function hr(t){return G(t)&&"entryPointChild"in t&&Ie(t.entryPointChild)&&"contentChild"in t&&Ie(t.contentChild)}function pr(t){return G(t)&&"selections"in t}function fr(t){return G(t)&&"children"in t&&Array.isArray(t.children)&&t.children.every(Ie)}function mr(t){return G(t)&&"value"in t&&ln(t.value)}function un(t){return G(t)&&"title"in t&&Oe(t.title)&&"child"in t&&Ie(t.child)}function gr(t){return G(t)&&"tabItems"in t&&Array.isArray(t.tabItems)&&t.tabItems.every(un)}function yr(t){return G(t)&&"text"in t&&Oe(t.text)}function vr(t){return G(t)&&"label"in t&&Oe(t.label)}function _r(t){return G(t)&&"url"in t&&Oe(t.url)}var ys={};fs(ys,{A2UIValidationEvent:()=>gs});var gs=class t extends CustomEvent{constructor(e,s){super(t.EVENT_NAME,{bubbles:!0,composed:!0,...s,detail:{...e,eventType:t.EVENT_NAME}})}};gs.EVENT_NAME="a2ui-validation-input";var x={};fs(x,{BRAND:()=>Mn,DIRTY:()=>Xe,EMPTY_PATH:()=>fn,INVALID:()=>R,NEVER:()=>xo,OK:()=>le,ParseStatus:()=>ae,Schema:()=>U,ZodAny:()=>Ze,ZodArray:()=>Pe,ZodBigInt:()=>et,ZodBoolean:()=>tt,ZodBranded:()=>Ut,ZodCatch:()=>ht,ZodDate:()=>st,ZodDefault:()=>dt,ZodDiscriminatedUnion:()=>bs,ZodEffects:()=>ve,ZodEnum:()=>ct,ZodError:()=>de,ZodFirstPartyTypeKind:()=>D,ZodFunction:()=>ws,ZodIntersection:()=>nt,ZodIssueCode:()=>$,ZodLazy:()=>ot,ZodLiteral:()=>lt,ZodMap:()=>At,ZodNaN:()=>Ot,ZodNativeEnum:()=>ut,ZodNever:()=>xe,ZodNull:()=>it,ZodNullable:()=>ke,ZodNumber:()=>Qe,ZodObject:()=>he,ZodOptional:()=>ge,ZodParsedType:()=>E,ZodPipeline:()=>Lt,ZodPromise:()=>qe,ZodReadonly:()=>pt,ZodRecord:()=>xs,ZodSchema:()=>U,ZodSet:()=>It,ZodString:()=>He,ZodSymbol:()=>Tt,ZodTransformer:()=>ve,ZodTuple:()=>Ce,ZodType:()=>U,ZodUndefined:()=>rt,ZodUnion:()=>at,ZodUnknown:()=>De,ZodVoid:()=>Et,addIssueToContext:()=>T,any:()=>Hn,array:()=>Kn,bigint:()=>Un,boolean:()=>Ci,coerce:()=>bo,custom:()=>wi,date:()=>Ln,datetimeRegex:()=>bi,defaultErrorMap:()=>je,discriminatedUnion:()=>Qn,effect:()=>ho,enum:()=>lo,function:()=>ao,getErrorMap:()=>St,getParsedType:()=>Se,instanceof:()=>zn,intersection:()=>eo,isAborted:()=>vs,isAsync:()=>Ct,isDirty:()=>_s,isValid:()=>We,late:()=>Nn,lazy:()=>no,literal:()=>oo,makeIssue:()=>Vt,map:()=>ro,nan:()=>Vn,nativeEnum:()=>co,never:()=>qn,null:()=>Wn,nullable:()=>fo,number:()=>Si,object:()=>Yn,objectUtil:()=>xr,oboolean:()=>_o,onumber:()=>vo,optional:()=>po,ostring:()=>yo,pipeline:()=>go,preprocess:()=>mo,promise:()=>uo,quotelessJson:()=>dn,record:()=>so,set:()=>io,setErrorMap:()=>pn,strictObject:()=>Jn,string:()=>$i,symbol:()=>Fn,transformer:()=>ho,tuple:()=>to,undefined:()=>Bn,union:()=>Xn,unknown:()=>Zn,util:()=>W,void:()=>Gn});var W;(function(t){t.assertEqual=i=>{};function e(i){}t.assertIs=e;function s(i){throw new Error}t.assertNever=s,t.arrayToEnum=i=>{let a={};for(let n of i)a[n]=n;return a},t.getValidEnumValues=i=>{let a=t.objectKeys(i).filter(o=>typeof i[i[o]]!="number"),n={};for(let o of a)n[o]=i[o];return t.objectValues(n)},t.objectValues=i=>t.objectKeys(i).map(function(a){return i[a]}),t.objectKeys=typeof Object.keys=="function"?i=>Object.keys(i):i=>{let a=[];for(let n in i)Object.prototype.hasOwnProperty.call(i,n)&&a.push(n);return a},t.find=(i,a)=>{for(let n of i)if(a(n))return n},t.isInteger=typeof Number.isInteger=="function"?i=>Number.isInteger(i):i=>typeof i=="number"&&Number.isFinite(i)&&Math.floor(i)===i;function r(i,a=" | "){return i.map(n=>typeof n=="string"?`'${n}'`:n).join(a)}t.joinValues=r,t.jsonStringifyReplacer=(i,a)=>typeof a=="bigint"?a.toString():a})(W||(W={}));var xr;(function(t){t.mergeShapes=(e,s)=>({...e,...s})})(xr||(xr={}));var E=W.arrayToEnum(["string","nan","number","integer","float","boolean","date","bigint","symbol","function","undefined","null","array","object","unknown","promise","void","never","map","set"]),Se=t=>{switch(typeof t){case"undefined":return E.undefined;case"string":return E.string;case"number":return Number.isNaN(t)?E.nan:E.number;case"boolean":return E.boolean;case"function":return E.function;case"bigint":return E.bigint;case"symbol":return E.symbol;case"object":return Array.isArray(t)?E.array:t===null?E.null:t.then&&typeof t.then=="function"&&t.catch&&typeof t.catch=="function"?E.promise:typeof Map<"u"&&t instanceof Map?E.map:typeof Set<"u"&&t instanceof Set?E.set:typeof Date<"u"&&t instanceof Date?E.date:E.object;default:return E.unknown}};var $=W.arrayToEnum(["invalid_type","invalid_literal","custom","invalid_union","invalid_union_discriminator","invalid_enum_value","unrecognized_keys","invalid_arguments","invalid_return_type","invalid_date","invalid_string","too_small","too_big","invalid_intersection_types","not_multiple_of","not_finite"]),dn=t=>JSON.stringify(t,null,2).replace(/"([^"]+)":/g,"$1:"),de=class t extends Error{get errors(){return this.issues}constructor(e){super(),this.issues=[],this.addIssue=r=>{this.issues=[...this.issues,r]},this.addIssues=(r=[])=>{this.issues=[...this.issues,...r]};let s=new.target.prototype;Object.setPrototypeOf?Object.setPrototypeOf(this,s):this.__proto__=s,this.name="ZodError",this.issues=e}format(e){let s=e||function(a){return a.message},r={_errors:[]},i=a=>{for(let n of a.issues)if(n.code==="invalid_union")n.unionErrors.map(i);else if(n.code==="invalid_return_type")i(n.returnTypeError);else if(n.code==="invalid_arguments")i(n.argumentsError);else if(n.path.length===0)r._errors.push(s(n));else{let o=r,d=0;for(;d<n.path.length;){let c=n.path[d];d===n.path.length-1?(o[c]=o[c]||{_errors:[]},o[c]._errors.push(s(n))):o[c]=o[c]||{_errors:[]},o=o[c],d++}}};return i(this),r}static assert(e){if(!(e instanceof t))throw new Error(`Not a ZodError: ${e}`)}toString(){return this.message}get message(){return JSON.stringify(this.issues,W.jsonStringifyReplacer,2)}get isEmpty(){return this.issues.length===0}flatten(e=s=>s.message){let s={},r=[];for(let i of this.issues)if(i.path.length>0){let a=i.path[0];s[a]=s[a]||[],s[a].push(e(i))}else r.push(e(i));return{formErrors:r,fieldErrors:s}}get formErrors(){return this.flatten()}};de.create=t=>new de(t);var hn=(t,e)=>{let s;switch(t.code){case $.invalid_type:t.received===E.undefined?s="Required":s=`Expected ${t.expected}, received ${t.received}`;break;case $.invalid_literal:s=`Invalid literal value, expected ${JSON.stringify(t.expected,W.jsonStringifyReplacer)}`;break;case $.unrecognized_keys:s=`Unrecognized key(s) in object: ${W.joinValues(t.keys,", ")}`;break;case $.invalid_union:s="Invalid input";break;case $.invalid_union_discriminator:s=`Invalid discriminator value. Expected ${W.joinValues(t.options)}`;break;case $.invalid_enum_value:s=`Invalid enum value. Expected ${W.joinValues(t.options)}, received '${t.received}'`;break;case $.invalid_arguments:s="Invalid function arguments";break;case $.invalid_return_type:s="Invalid function return type";break;case $.invalid_date:s="Invalid date";break;case $.invalid_string:typeof t.validation=="object"?"includes"in t.validation?(s=`Invalid input: must include "${t.validation.includes}"`,typeof t.validation.position=="number"&&(s=`${s} at one or more positions greater than or equal to ${t.validation.position}`)):"startsWith"in t.validation?s=`Invalid input: must start with "${t.validation.startsWith}"`:"endsWith"in t.validation?s=`Invalid input: must end with "${t.validation.endsWith}"`:W.assertNever(t.validation):t.validation!=="regex"?s=`Invalid ${t.validation}`:s="Invalid";break;case $.too_small:t.type==="array"?s=`Array must contain ${t.exact?"exactly":t.inclusive?"at least":"more than"} ${t.minimum} element(s)`:t.type==="string"?s=`String must contain ${t.exact?"exactly":t.inclusive?"at least":"over"} ${t.minimum} character(s)`:t.type==="number"?s=`Number must be ${t.exact?"exactly equal to ":t.inclusive?"greater than or equal to ":"greater than "}${t.minimum}`:t.type==="bigint"?s=`Number must be ${t.exact?"exactly equal to ":t.inclusive?"greater than or equal to ":"greater than "}${t.minimum}`:t.type==="date"?s=`Date must be ${t.exact?"exactly equal to ":t.inclusive?"greater than or equal to ":"greater than "}${new Date(Number(t.minimum))}`:s="Invalid input";break;case $.too_big:t.type==="array"?s=`Array must contain ${t.exact?"exactly":t.inclusive?"at most":"less than"} ${t.maximum} element(s)`:t.type==="string"?s=`String must contain ${t.exact?"exactly":t.inclusive?"at most":"under"} ${t.maximum} character(s)`:t.type==="number"?s=`Number must be ${t.exact?"exactly":t.inclusive?"less than or equal to":"less than"} ${t.maximum}`:t.type==="bigint"?s=`BigInt must be ${t.exact?"exactly":t.inclusive?"less than or equal to":"less than"} ${t.maximum}`:t.type==="date"?s=`Date must be ${t.exact?"exactly":t.inclusive?"smaller than or equal to":"smaller than"} ${new Date(Number(t.maximum))}`:s="Invalid input";break;case $.custom:s="Invalid input";break;case $.invalid_intersection_types:s="Intersection results could not be merged";break;case $.not_multiple_of:s=`Number must be a multiple of ${t.multipleOf}`;break;case $.not_finite:s="Number must be finite";break;default:s=e.defaultError,W.assertNever(t)}return{message:s}},je=hn;var mi=je;function pn(t){mi=t}function St(){return mi}var Vt=t=>{let{data:e,path:s,errorMaps:r,issueData:i}=t,a=[...s,...i.path||[]],n={...i,path:a};if(i.message!==void 0)return{...i,path:a,message:i.message};let o="",d=r.filter(c=>!!c).slice().reverse();for(let c of d)o=c(n,{data:e,defaultError:o}).message;return{...i,path:a,message:o}},fn=[];function T(t,e){let s=St(),r=Vt({issueData:e,data:t.data,path:t.path,errorMaps:[t.common.contextualErrorMap,t.schemaErrorMap,s,s===je?void 0:je].filter(i=>!!i)});t.common.issues.push(r)}var ae=class t{constructor(){this.value="valid"}dirty(){this.value==="valid"&&(this.value="dirty")}abort(){this.value!=="aborted"&&(this.value="aborted")}static mergeArray(e,s){let r=[];for(let i of s){if(i.status==="aborted")return R;i.status==="dirty"&&e.dirty(),r.push(i.value)}return{status:e.value,value:r}}static async mergeObjectAsync(e,s){let r=[];for(let i of s){let a=await i.key,n=await i.value;r.push({key:a,value:n})}return t.mergeObjectSync(e,r)}static mergeObjectSync(e,s){let r={};for(let i of s){let{key:a,value:n}=i;if(a.status==="aborted"||n.status==="aborted")return R;a.status==="dirty"&&e.dirty(),n.status==="dirty"&&e.dirty(),a.value!=="__proto__"&&(typeof n.value<"u"||i.alwaysSet)&&(r[a.value]=n.value)}return{status:e.value,value:r}}},R=Object.freeze({status:"aborted"}),Xe=t=>({status:"dirty",value:t}),le=t=>({status:"valid",value:t}),vs=t=>t.status==="aborted",_s=t=>t.status==="dirty",We=t=>t.status==="valid",Ct=t=>typeof Promise<"u"&&t instanceof Promise;var I;(function(t){t.errToObj=e=>typeof e=="string"?{message:e}:e||{},t.toString=e=>typeof e=="string"?e:e?.message})(I||(I={}));var ye=class{constructor(e,s,r,i){this._cachedPath=[],this.parent=e,this.data=s,this._path=r,this._key=i}get path(){return this._cachedPath.length||(Array.isArray(this._key)?this._cachedPath.push(...this._path,...this._key):this._cachedPath.push(...this._path,this._key)),this._cachedPath}},gi=(t,e)=>{if(We(e))return{success:!0,data:e.value};if(!t.common.issues.length)throw new Error("Validation failed but no issues detected.");return{success:!1,get error(){if(this._error)return this._error;let s=new de(t.common.issues);return this._error=s,this._error}}};function z(t){if(!t)return{};let{errorMap:e,invalid_type_error:s,required_error:r,description:i}=t;if(e&&(s||r))throw new Error(`Can't use "invalid_type_error" or "required_error" in conjunction with custom error map.`);return e?{errorMap:e,description:i}:{errorMap:(n,o)=>{let{message:d}=t;return n.code==="invalid_enum_value"?{message:d??o.defaultError}:typeof o.data>"u"?{message:d??r??o.defaultError}:n.code!=="invalid_type"?{message:o.defaultError}:{message:d??s??o.defaultError}},description:i}}var U=class{get description(){return this._def.description}_getType(e){return Se(e.data)}_getOrReturnCtx(e,s){return s||{common:e.parent.common,data:e.data,parsedType:Se(e.data),schemaErrorMap:this._def.errorMap,path:e.path,parent:e.parent}}_processInputParams(e){return{status:new ae,ctx:{common:e.parent.common,data:e.data,parsedType:Se(e.data),schemaErrorMap:this._def.errorMap,path:e.path,parent:e.parent}}}_parseSync(e){let s=this._parse(e);if(Ct(s))throw new Error("Synchronous parse encountered promise.");return s}_parseAsync(e){let s=this._parse(e);return Promise.resolve(s)}parse(e,s){let r=this.safeParse(e,s);if(r.success)return r.data;throw r.error}safeParse(e,s){let r={common:{issues:[],async:s?.async??!1,contextualErrorMap:s?.errorMap},path:s?.path||[],schemaErrorMap:this._def.errorMap,parent:null,data:e,parsedType:Se(e)},i=this._parseSync({data:e,path:r.path,parent:r});return gi(r,i)}"~validate"(e){let s={common:{issues:[],async:!!this["~standard"].async},path:[],schemaErrorMap:this._def.errorMap,parent:null,data:e,parsedType:Se(e)};if(!this["~standard"].async)try{let r=this._parseSync({data:e,path:[],parent:s});return We(r)?{value:r.value}:{issues:s.common.issues}}catch(r){r?.message?.toLowerCase()?.includes("encountered")&&(this["~standard"].async=!0),s.common={issues:[],async:!0}}return this._parseAsync({data:e,path:[],parent:s}).then(r=>We(r)?{value:r.value}:{issues:s.common.issues})}async parseAsync(e,s){let r=await this.safeParseAsync(e,s);if(r.success)return r.data;throw r.error}async safeParseAsync(e,s){let r={common:{issues:[],contextualErrorMap:s?.errorMap,async:!0},path:s?.path||[],schemaErrorMap:this._def.errorMap,parent:null,data:e,parsedType:Se(e)},i=this._parse({data:e,path:r.path,parent:r}),a=await(Ct(i)?i:Promise.resolve(i));return gi(r,a)}refine(e,s){let r=i=>typeof s=="string"||typeof s>"u"?{message:s}:typeof s=="function"?s(i):s;return this._refinement((i,a)=>{let n=e(i),o=()=>a.addIssue({code:$.custom,...r(i)});return typeof Promise<"u"&&n instanceof Promise?n.then(d=>d?!0:(o(),!1)):n?!0:(o(),!1)})}refinement(e,s){return this._refinement((r,i)=>e(r)?!0:(i.addIssue(typeof s=="function"?s(r,i):s),!1))}_refinement(e){return new ve({schema:this,typeName:D.ZodEffects,effect:{type:"refinement",refinement:e}})}superRefine(e){return this._refinement(e)}constructor(e){this.spa=this.safeParseAsync,this._def=e,this.parse=this.parse.bind(this),this.safeParse=this.safeParse.bind(this),this.parseAsync=this.parseAsync.bind(this),this.safeParseAsync=this.safeParseAsync.bind(this),this.spa=this.spa.bind(this),this.refine=this.refine.bind(this),this.refinement=this.refinement.bind(this),this.superRefine=this.superRefine.bind(this),this.optional=this.optional.bind(this),this.nullable=this.nullable.bind(this),this.nullish=this.nullish.bind(this),this.array=this.array.bind(this),this.promise=this.promise.bind(this),this.or=this.or.bind(this),this.and=this.and.bind(this),this.transform=this.transform.bind(this),this.brand=this.brand.bind(this),this.default=this.default.bind(this),this.catch=this.catch.bind(this),this.describe=this.describe.bind(this),this.pipe=this.pipe.bind(this),this.readonly=this.readonly.bind(this),this.isNullable=this.isNullable.bind(this),this.isOptional=this.isOptional.bind(this),this["~standard"]={version:1,vendor:"zod",validate:s=>this["~validate"](s)}}optional(){return ge.create(this,this._def)}nullable(){return ke.create(this,this._def)}nullish(){return this.nullable().optional()}array(){return Pe.create(this)}promise(){return qe.create(this,this._def)}or(e){return at.create([this,e],this._def)}and(e){return nt.create(this,e,this._def)}transform(e){return new ve({...z(this._def),schema:this,typeName:D.ZodEffects,effect:{type:"transform",transform:e}})}default(e){let s=typeof e=="function"?e:()=>e;return new dt({...z(this._def),innerType:this,defaultValue:s,typeName:D.ZodDefault})}brand(){return new Ut({typeName:D.ZodBranded,type:this,...z(this._def)})}catch(e){let s=typeof e=="function"?e:()=>e;return new ht({...z(this._def),innerType:this,catchValue:s,typeName:D.ZodCatch})}describe(e){let s=this.constructor;return new s({...this._def,description:e})}pipe(e){return Lt.create(this,e)}readonly(){return pt.create(this)}isOptional(){return this.safeParse(void 0).success}isNullable(){return this.safeParse(null).success}},mn=/^c[^\s-]{8,}$/i,gn=/^[0-9a-z]+$/,yn=/^[0-9A-HJKMNP-TV-Z]{26}$/i,vn=/^[0-9a-fA-F]{8}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{12}$/i,_n=/^[a-z0-9_-]{21}$/i,bn=/^[A-Za-z0-9-_]+\.[A-Za-z0-9-_]+\.[A-Za-z0-9-_]*$/,xn=/^[-+]?P(?!$)(?:(?:[-+]?\d+Y)|(?:[-+]?\d+[.,]\d+Y$))?(?:(?:[-+]?\d+M)|(?:[-+]?\d+[.,]\d+M$))?(?:(?:[-+]?\d+W)|(?:[-+]?\d+[.,]\d+W$))?(?:(?:[-+]?\d+D)|(?:[-+]?\d+[.,]\d+D$))?(?:T(?=[\d+-])(?:(?:[-+]?\d+H)|(?:[-+]?\d+[.,]\d+H$))?(?:(?:[-+]?\d+M)|(?:[-+]?\d+[.,]\d+M$))?(?:[-+]?\d+(?:[.,]\d+)?S)?)??$/,wn=/^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$/i,$n="^(\\p{Extended_Pictographic}|\\p{Emoji_Component})+$",wr,Sn=/^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/,Cn=/^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\/(3[0-2]|[12]?[0-9])$/,kn=/^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))$/,Tn=/^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))\/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$/,En=/^([0-9a-zA-Z+/]{4})*(([0-9a-zA-Z+/]{2}==)|([0-9a-zA-Z+/]{3}=))?$/,An=/^([0-9a-zA-Z-_]{4})*(([0-9a-zA-Z-_]{2}(==)?)|([0-9a-zA-Z-_]{3}(=)?))?$/,vi="((\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|(02)-(0[1-9]|1\\d|2[0-8])))",In=new RegExp(`^${vi}$`);function _i(t){let e="[0-5]\\d";t.precision?e=`${e}\\.\\d{${t.precision}}`:t.precision==null&&(e=`${e}(\\.\\d+)?`);let s=t.precision?"+":"?";return`([01]\\d|2[0-3]):[0-5]\\d(:${e})${s}`}function On(t){return new RegExp(`^${_i(t)}$`)}function bi(t){let e=`${vi}T${_i(t)}`,s=[];return s.push(t.local?"Z?":"Z"),t.offset&&s.push("([+-]\\d{2}:?\\d{2})"),e=`${e}(${s.join("|")})`,new RegExp(`^${e}$`)}function jn(t,e){return!!((e==="v4"||!e)&&Sn.test(t)||(e==="v6"||!e)&&kn.test(t))}function Rn(t,e){if(!bn.test(t))return!1;try{let[s]=t.split(".");if(!s)return!1;let r=s.replace(/-/g,"+").replace(/_/g,"/").padEnd(s.length+(4-s.length%4)%4,"="),i=JSON.parse(atob(r));return!(typeof i!="object"||i===null||"typ"in i&&i?.typ!=="JWT"||!i.alg||e&&i.alg!==e)}catch{return!1}}function Dn(t,e){return!!((e==="v4"||!e)&&Cn.test(t)||(e==="v6"||!e)&&Tn.test(t))}var He=class t extends U{_parse(e){if(this._def.coerce&&(e.data=String(e.data)),this._getType(e)!==E.string){let a=this._getOrReturnCtx(e);return T(a,{code:$.invalid_type,expected:E.string,received:a.parsedType}),R}let r=new ae,i;for(let a of this._def.checks)if(a.kind==="min")e.data.length<a.value&&(i=this._getOrReturnCtx(e,i),T(i,{code:$.too_small,minimum:a.value,type:"string",inclusive:!0,exact:!1,message:a.message}),r.dirty());else if(a.kind==="max")e.data.length>a.value&&(i=this._getOrReturnCtx(e,i),T(i,{code:$.too_big,maximum:a.value,type:"string",inclusive:!0,exact:!1,message:a.message}),r.dirty());else if(a.kind==="length"){let n=e.data.length>a.value,o=e.data.length<a.value;(n||o)&&(i=this._getOrReturnCtx(e,i),n?T(i,{code:$.too_big,maximum:a.value,type:"string",inclusive:!0,exact:!0,message:a.message}):o&&T(i,{code:$.too_small,minimum:a.value,type:"string",inclusive:!0,exact:!0,message:a.message}),r.dirty())}else if(a.kind==="email")wn.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"email",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="emoji")wr||(wr=new RegExp($n,"u")),wr.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"emoji",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="uuid")vn.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"uuid",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="nanoid")_n.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"nanoid",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="cuid")mn.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"cuid",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="cuid2")gn.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"cuid2",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="ulid")yn.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"ulid",code:$.invalid_string,message:a.message}),r.dirty());else if(a.kind==="url")try{new URL(e.data)}catch{i=this._getOrReturnCtx(e,i),T(i,{validation:"url",code:$.invalid_string,message:a.message}),r.dirty()}else a.kind==="regex"?(a.regex.lastIndex=0,a.regex.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"regex",code:$.invalid_string,message:a.message}),r.dirty())):a.kind==="trim"?e.data=e.data.trim():a.kind==="includes"?e.data.includes(a.value,a.position)||(i=this._getOrReturnCtx(e,i),T(i,{code:$.invalid_string,validation:{includes:a.value,position:a.position},message:a.message}),r.dirty()):a.kind==="toLowerCase"?e.data=e.data.toLowerCase():a.kind==="toUpperCase"?e.data=e.data.toUpperCase():a.kind==="startsWith"?e.data.startsWith(a.value)||(i=this._getOrReturnCtx(e,i),T(i,{code:$.invalid_string,validation:{startsWith:a.value},message:a.message}),r.dirty()):a.kind==="endsWith"?e.data.endsWith(a.value)||(i=this._getOrReturnCtx(e,i),T(i,{code:$.invalid_string,validation:{endsWith:a.value},message:a.message}),r.dirty()):a.kind==="datetime"?bi(a).test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{code:$.invalid_string,validation:"datetime",message:a.message}),r.dirty()):a.kind==="date"?In.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{code:$.invalid_string,validation:"date",message:a.message}),r.dirty()):a.kind==="time"?On(a).test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{code:$.invalid_string,validation:"time",message:a.message}),r.dirty()):a.kind==="duration"?xn.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"duration",code:$.invalid_string,message:a.message}),r.dirty()):a.kind==="ip"?jn(e.data,a.version)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"ip",code:$.invalid_string,message:a.message}),r.dirty()):a.kind==="jwt"?Rn(e.data,a.alg)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"jwt",code:$.invalid_string,message:a.message}),r.dirty()):a.kind==="cidr"?Dn(e.data,a.version)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"cidr",code:$.invalid_string,message:a.message}),r.dirty()):a.kind==="base64"?En.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"base64",code:$.invalid_string,message:a.message}),r.dirty()):a.kind==="base64url"?An.test(e.data)||(i=this._getOrReturnCtx(e,i),T(i,{validation:"base64url",code:$.invalid_string,message:a.message}),r.dirty()):W.assertNever(a);return{status:r.value,value:e.data}}_regex(e,s,r){return this.refinement(i=>e.test(i),{validation:s,code:$.invalid_string,...I.errToObj(r)})}_addCheck(e){return new t({...this._def,checks:[...this._def.checks,e]})}email(e){return this._addCheck({kind:"email",...I.errToObj(e)})}url(e){return this._addCheck({kind:"url",...I.errToObj(e)})}emoji(e){return this._addCheck({kind:"emoji",...I.errToObj(e)})}uuid(e){return this._addCheck({kind:"uuid",...I.errToObj(e)})}nanoid(e){return this._addCheck({kind:"nanoid",...I.errToObj(e)})}cuid(e){return this._addCheck({kind:"cuid",...I.errToObj(e)})}cuid2(e){return this._addCheck({kind:"cuid2",...I.errToObj(e)})}ulid(e){return this._addCheck({kind:"ulid",...I.errToObj(e)})}base64(e){return this._addCheck({kind:"base64",...I.errToObj(e)})}base64url(e){return this._addCheck({kind:"base64url",...I.errToObj(e)})}jwt(e){return this._addCheck({kind:"jwt",...I.errToObj(e)})}ip(e){return this._addCheck({kind:"ip",...I.errToObj(e)})}cidr(e){return this._addCheck({kind:"cidr",...I.errToObj(e)})}datetime(e){return typeof e=="string"?this._addCheck({kind:"datetime",precision:null,offset:!1,local:!1,message:e}):this._addCheck({kind:"datetime",precision:typeof e?.precision>"u"?null:e?.precision,offset:e?.offset??!1,local:e?.local??!1,...I.errToObj(e?.message)})}date(e){return this._addCheck({kind:"date",message:e})}time(e){return typeof e=="string"?this._addCheck({kind:"time",precision:null,message:e}):this._addCheck({kind:"time",precision:typeof e?.precision>"u"?null:e?.precision,...I.errToObj(e?.message)})}duration(e){return this._addCheck({kind:"duration",...I.errToObj(e)})}regex(e,s){return this._addCheck({kind:"regex",regex:e,...I.errToObj(s)})}includes(e,s){return this._addCheck({kind:"includes",value:e,position:s?.position,...I.errToObj(s?.message)})}startsWith(e,s){return this._addCheck({kind:"startsWith",value:e,...I.errToObj(s)})}endsWith(e,s){return this._addCheck({kind:"endsWith",value:e,...I.errToObj(s)})}min(e,s){return this._addCheck({kind:"min",value:e,...I.errToObj(s)})}max(e,s){return this._addCheck({kind:"max",value:e,...I.errToObj(s)})}length(e,s){return this._addCheck({kind:"length",value:e,...I.errToObj(s)})}nonempty(e){return this.min(1,I.errToObj(e))}trim(){return new t({...this._def,checks:[...this._def.checks,{kind:"trim"}]})}toLowerCase(){return new t({...this._def,checks:[...this._def.checks,{kind:"toLowerCase"}]})}toUpperCase(){return new t({...this._def,checks:[...this._def.checks,{kind:"toUpperCase"}]})}get isDatetime(){return!!this._def.checks.find(e=>e.kind==="datetime")}get isDate(){return!!this._def.checks.find(e=>e.kind==="date")}get isTime(){return!!this._def.checks.find(e=>e.kind==="time")}get isDuration(){return!!this._def.checks.find(e=>e.kind==="duration")}get isEmail(){return!!this._def.checks.find(e=>e.kind==="email")}get isURL(){return!!this._def.checks.find(e=>e.kind==="url")}get isEmoji(){return!!this._def.checks.find(e=>e.kind==="emoji")}get isUUID(){return!!this._def.checks.find(e=>e.kind==="uuid")}get isNANOID(){return!!this._def.checks.find(e=>e.kind==="nanoid")}get isCUID(){return!!this._def.checks.find(e=>e.kind==="cuid")}get isCUID2(){return!!this._def.checks.find(e=>e.kind==="cuid2")}get isULID(){return!!this._def.checks.find(e=>e.kind==="ulid")}get isIP(){return!!this._def.checks.find(e=>e.kind==="ip")}get isCIDR(){return!!this._def.checks.find(e=>e.kind==="cidr")}get isBase64(){return!!this._def.checks.find(e=>e.kind==="base64")}get isBase64url(){return!!this._def.checks.find(e=>e.kind==="base64url")}get minLength(){let e=null;for(let s of this._def.checks)s.kind==="min"&&(e===null||s.value>e)&&(e=s.value);return e}get maxLength(){let e=null;for(let s of this._def.checks)s.kind==="max"&&(e===null||s.value<e)&&(e=s.value);return e}};He.create=t=>new He({checks:[],typeName:D.ZodString,coerce:t?.coerce??!1,...z(t)});function Pn(t,e){let s=(t.toString().split(".")[1]||"").length,r=(e.toString().split(".")[1]||"").length,i=s>r?s:r,a=Number.parseInt(t.toFixed(i).replace(".","")),n=Number.parseInt(e.toFixed(i).replace(".",""));return a%n/10**i}var Qe=class t extends U{constructor(){super(...arguments),this.min=this.gte,this.max=this.lte,this.step=this.multipleOf}_parse(e){if(this._def.coerce&&(e.data=Number(e.data)),this._getType(e)!==E.number){let a=this._getOrReturnCtx(e);return T(a,{code:$.invalid_type,expected:E.number,received:a.parsedType}),R}let r,i=new ae;for(let a of this._def.checks)a.kind==="int"?W.isInteger(e.data)||(r=this._getOrReturnCtx(e,r),T(r,{code:$.invalid_type,expected:"integer",received:"float",message:a.message}),i.dirty()):a.kind==="min"?(a.inclusive?e.data<a.value:e.data<=a.value)&&(r=this._getOrReturnCtx(e,r),T(r,{code:$.too_small,minimum:a.value,type:"number",inclusive:a.inclusive,exact:!1,message:a.message}),i.dirty()):a.kind==="max"?(a.inclusive?e.data>a.value:e.data>=a.value)&&(r=this._getOrReturnCtx(e,r),T(r,{code:$.too_big,maximum:a.value,type:"number",inclusive:a.inclusive,exact:!1,message:a.message}),i.dirty()):a.kind==="multipleOf"?Pn(e.data,a.value)!==0&&(r=this._getOrReturnCtx(e,r),T(r,{code:$.not_multiple_of,multipleOf:a.value,message:a.message}),i.dirty()):a.kind==="finite"?Number.isFinite(e.data)||(r=this._getOrReturnCtx(e,r),T(r,{code:$.not_finite,message:a.message}),i.dirty()):W.assertNever(a);return{status:i.value,value:e.data}}gte(e,s){return this.setLimit("min",e,!0,I.toString(s))}gt(e,s){return this.setLimit("min",e,!1,I.toString(s))}lte(e,s){return this.setLimit("max",e,!0,I.toString(s))}lt(e,s){return this.setLimit("max",e,!1,I.toString(s))}setLimit(e,s,r,i){return new t({...this._def,checks:[...this._def.checks,{kind:e,value:s,inclusive:r,message:I.toString(i)}]})}_addCheck(e){return new t({...this._def,checks:[...this._def.checks,e]})}int(e){return this._addCheck({kind:"int",message:I.toString(e)})}positive(e){return this._addCheck({kind:"min",value:0,inclusive:!1,message:I.toString(e)})}negative(e){return this._addCheck({kind:"max",value:0,inclusive:!1,message:I.toString(e)})}nonpositive(e){return this._addCheck({kind:"max",value:0,inclusive:!0,message:I.toString(e)})}nonnegative(e){return this._addCheck({kind:"min",value:0,inclusive:!0,message:I.toString(e)})}multipleOf(e,s){return this._addCheck({kind:"multipleOf",value:e,message:I.toString(s)})}finite(e){return this._addCheck({kind:"finite",message:I.toString(e)})}safe(e){return this._addCheck({kind:"min",inclusive:!0,value:Number.MIN_SAFE_INTEGER,message:I.toString(e)})._addCheck({kind:"max",inclusive:!0,value:Number.MAX_SAFE_INTEGER,message:I.toString(e)})}get minValue(){let e=null;for(let s of this._def.checks)s.kind==="min"&&(e===null||s.value>e)&&(e=s.value);return e}get maxValue(){let e=null;for(let s of this._def.checks)s.kind==="max"&&(e===null||s.value<e)&&(e=s.value);return e}get isInt(){return!!this._def.checks.find(e=>e.kind==="int"||e.kind==="multipleOf"&&W.isInteger(e.value))}get isFinite(){let e=null,s=null;for(let r of this._def.checks){if(r.kind==="finite"||r.kind==="int"||r.kind==="multipleOf")return!0;r.kind==="min"?(s===null||r.value>s)&&(s=r.value):r.kind==="max"&&(e===null||r.value<e)&&(e=r.value)}return Number.isFinite(s)&&Number.isFinite(e)}};Qe.create=t=>new Qe({checks:[],typeName:D.ZodNumber,coerce:t?.coerce||!1,...z(t)});var et=class t extends U{constructor(){super(...arguments),this.min=this.gte,this.max=this.lte}_parse(e){if(this._def.coerce)try{e.data=BigInt(e.data)}catch{return this._getInvalidInput(e)}if(this._getType(e)!==E.bigint)return this._getInvalidInput(e);let r,i=new ae;for(let a of this._def.checks)a.kind==="min"?(a.inclusive?e.data<a.value:e.data<=a.value)&&(r=this._getOrReturnCtx(e,r),T(r,{code:$.too_small,type:"bigint",minimum:a.value,inclusive:a.inclusive,message:a.message}),i.dirty()):a.kind==="max"?(a.inclusive?e.data>a.value:e.data>=a.value)&&(r=this._getOrReturnCtx(e,r),T(r,{code:$.too_big,type:"bigint",maximum:a.value,inclusive:a.inclusive,message:a.message}),i.dirty()):a.kind==="multipleOf"?e.data%a.value!==BigInt(0)&&(r=this._getOrReturnCtx(e,r),T(r,{code:$.not_multiple_of,multipleOf:a.value,message:a.message}),i.dirty()):W.assertNever(a);return{status:i.value,value:e.data}}_getInvalidInput(e){let s=this._getOrReturnCtx(e);return T(s,{code:$.invalid_type,expected:E.bigint,received:s.parsedType}),R}gte(e,s){return this.setLimit("min",e,!0,I.toString(s))}gt(e,s){return this.setLimit("min",e,!1,I.toString(s))}lte(e,s){return this.setLimit("max",e,!0,I.toString(s))}lt(e,s){return this.setLimit("max",e,!1,I.toString(s))}setLimit(e,s,r,i){return new t({...this._def,checks:[...this._def.checks,{kind:e,value:s,inclusive:r,message:I.toString(i)}]})}_addCheck(e){return new t({...this._def,checks:[...this._def.checks,e]})}positive(e){return this._addCheck({kind:"min",value:BigInt(0),inclusive:!1,message:I.toString(e)})}negative(e){return this._addCheck({kind:"max",value:BigInt(0),inclusive:!1,message:I.toString(e)})}nonpositive(e){return this._addCheck({kind:"max",value:BigInt(0),inclusive:!0,message:I.toString(e)})}nonnegative(e){return this._addCheck({kind:"min",value:BigInt(0),inclusive:!0,message:I.toString(e)})}multipleOf(e,s){return this._addCheck({kind:"multipleOf",value:e,message:I.toString(s)})}get minValue(){let e=null;for(let s of this._def.checks)s.kind==="min"&&(e===null||s.value>e)&&(e=s.value);return e}get maxValue(){let e=null;for(let s of this._def.checks)s.kind==="max"&&(e===null||s.value<e)&&(e=s.value);return e}};et.create=t=>new et({checks:[],typeName:D.ZodBigInt,coerce:t?.coerce??!1,...z(t)});var tt=class extends U{_parse(e){if(this._def.coerce&&(e.data=!!e.data),this._getType(e)!==E.boolean){let r=this._getOrReturnCtx(e);return T(r,{code:$.invalid_type,expected:E.boolean,received:r.parsedType}),R}return le(e.data)}};tt.create=t=>new tt({typeName:D.ZodBoolean,coerce:t?.coerce||!1,...z(t)});var st=class t extends U{_parse(e){if(this._def.coerce&&(e.data=new Date(e.data)),this._getType(e)!==E.date){let a=this._getOrReturnCtx(e);return T(a,{code:$.invalid_type,expected:E.date,received:a.parsedType}),R}if(Number.isNaN(e.data.getTime())){let a=this._getOrReturnCtx(e);return T(a,{code:$.invalid_date}),R}let r=new ae,i;for(let a of this._def.checks)a.kind==="min"?e.data.getTime()<a.value&&(i=this._getOrReturnCtx(e,i),T(i,{code:$.too_small,message:a.message,inclusive:!0,exact:!1,minimum:a.value,type:"date"}),r.dirty()):a.kind==="max"?e.data.getTime()>a.value&&(i=this._getOrReturnCtx(e,i),T(i,{code:$.too_big,message:a.message,inclusive:!0,exact:!1,maximum:a.value,type:"date"}),r.dirty()):W.assertNever(a);return{status:r.value,value:new Date(e.data.getTime())}}_addCheck(e){return new t({...this._def,checks:[...this._def.checks,e]})}min(e,s){return this._addCheck({kind:"min",value:e.getTime(),message:I.toString(s)})}max(e,s){return this._addCheck({kind:"max",value:e.getTime(),message:I.toString(s)})}get minDate(){let e=null;for(let s of this._def.checks)s.kind==="min"&&(e===null||s.value>e)&&(e=s.value);return e!=null?new Date(e):null}get maxDate(){let e=null;for(let s of this._def.checks)s.kind==="max"&&(e===null||s.value<e)&&(e=s.value);return e!=null?new Date(e):null}};st.create=t=>new st({checks:[],coerce:t?.coerce||!1,typeName:D.ZodDate,...z(t)});var Tt=class extends U{_parse(e){if(this._getType(e)!==E.symbol){let r=this._getOrReturnCtx(e);return T(r,{code:$.invalid_type,expected:E.symbol,received:r.parsedType}),R}return le(e.data)}};Tt.create=t=>new Tt({typeName:D.ZodSymbol,...z(t)});var rt=class extends U{_parse(e){if(this._getType(e)!==E.undefined){let r=this._getOrReturnCtx(e);return T(r,{code:$.invalid_type,expected:E.undefined,received:r.parsedType}),R}return le(e.data)}};rt.create=t=>new rt({typeName:D.ZodUndefined,...z(t)});var it=class extends U{_parse(e){if(this._getType(e)!==E.null){let r=this._getOrReturnCtx(e);return T(r,{code:$.invalid_type,expected:E.null,received:r.parsedType}),R}return le(e.data)}};it.create=t=>new it({typeName:D.ZodNull,...z(t)});var Ze=class extends U{constructor(){super(...arguments),this._any=!0}_parse(e){return le(e.data)}};Ze.create=t=>new Ze({typeName:D.ZodAny,...z(t)});var De=class extends U{constructor(){super(...arguments),this._unknown=!0}_parse(e){return le(e.data)}};De.create=t=>new De({typeName:D.ZodUnknown,...z(t)});var xe=class extends U{_parse(e){let s=this._getOrReturnCtx(e);return T(s,{code:$.invalid_type,expected:E.never,received:s.parsedType}),R}};xe.create=t=>new xe({typeName:D.ZodNever,...z(t)});var Et=class extends U{_parse(e){if(this._getType(e)!==E.undefined){let r=this._getOrReturnCtx(e);return T(r,{code:$.invalid_type,expected:E.void,received:r.parsedType}),R}return le(e.data)}};Et.create=t=>new Et({typeName:D.ZodVoid,...z(t)});var Pe=class t extends U{_parse(e){let{ctx:s,status:r}=this._processInputParams(e),i=this._def;if(s.parsedType!==E.array)return T(s,{code:$.invalid_type,expected:E.array,received:s.parsedType}),R;if(i.exactLength!==null){let n=s.data.length>i.exactLength.value,o=s.data.length<i.exactLength.value;(n||o)&&(T(s,{code:n?$.too_big:$.too_small,minimum:o?i.exactLength.value:void 0,maximum:n?i.exactLength.value:void 0,type:"array",inclusive:!0,exact:!0,message:i.exactLength.message}),r.dirty())}if(i.minLength!==null&&s.data.length<i.minLength.value&&(T(s,{code:$.too_small,minimum:i.minLength.value,type:"array",inclusive:!0,exact:!1,message:i.minLength.message}),r.dirty()),i.maxLength!==null&&s.data.length>i.maxLength.value&&(T(s,{code:$.too_big,maximum:i.maxLength.value,type:"array",inclusive:!0,exact:!1,message:i.maxLength.message}),r.dirty()),s.common.async)return Promise.all([...s.data].map((n,o)=>i.type._parseAsync(new ye(s,n,s.path,o)))).then(n=>ae.mergeArray(r,n));let a=[...s.data].map((n,o)=>i.type._parseSync(new ye(s,n,s.path,o)));return ae.mergeArray(r,a)}get element(){return this._def.type}min(e,s){return new t({...this._def,minLength:{value:e,message:I.toString(s)}})}max(e,s){return new t({...this._def,maxLength:{value:e,message:I.toString(s)}})}length(e,s){return new t({...this._def,exactLength:{value:e,message:I.toString(s)}})}nonempty(e){return this.min(1,e)}};Pe.create=(t,e)=>new Pe({type:t,minLength:null,maxLength:null,exactLength:null,typeName:D.ZodArray,...z(e)});function kt(t){if(t instanceof he){let e={};for(let s in t.shape){let r=t.shape[s];e[s]=ge.create(kt(r))}return new he({...t._def,shape:()=>e})}else return t instanceof Pe?new Pe({...t._def,type:kt(t.element)}):t instanceof ge?ge.create(kt(t.unwrap())):t instanceof ke?ke.create(kt(t.unwrap())):t instanceof Ce?Ce.create(t.items.map(e=>kt(e))):t}var he=class t extends U{constructor(){super(...arguments),this._cached=null,this.nonstrict=this.passthrough,this.augment=this.extend}_getCached(){if(this._cached!==null)return this._cached;let e=this._def.shape(),s=W.objectKeys(e);return this._cached={shape:e,keys:s},this._cached}_parse(e){if(this._getType(e)!==E.object){let c=this._getOrReturnCtx(e);return T(c,{code:$.invalid_type,expected:E.object,received:c.parsedType}),R}let{status:r,ctx:i}=this._processInputParams(e),{shape:a,keys:n}=this._getCached(),o=[];if(!(this._def.catchall instanceof xe&&this._def.unknownKeys==="strip"))for(let c in i.data)n.includes(c)||o.push(c);let d=[];for(let c of n){let l=a[c],u=i.data[c];d.push({key:{status:"valid",value:c},value:l._parse(new ye(i,u,i.path,c)),alwaysSet:c in i.data})}if(this._def.catchall instanceof xe){let c=this._def.unknownKeys;if(c==="passthrough")for(let l of o)d.push({key:{status:"valid",value:l},value:{status:"valid",value:i.data[l]}});else if(c==="strict")o.length>0&&(T(i,{code:$.unrecognized_keys,keys:o}),r.dirty());else if(c!=="strip")throw new Error("Internal ZodObject error: invalid unknownKeys value.")}else{let c=this._def.catchall;for(let l of o){let u=i.data[l];d.push({key:{status:"valid",value:l},value:c._parse(new ye(i,u,i.path,l)),alwaysSet:l in i.data})}}return i.common.async?Promise.resolve().then(async()=>{let c=[];for(let l of d){let u=await l.key,m=await l.value;c.push({key:u,value:m,alwaysSet:l.alwaysSet})}return c}).then(c=>ae.mergeObjectSync(r,c)):ae.mergeObjectSync(r,d)}get shape(){return this._def.shape()}strict(e){return I.errToObj,new t({...this._def,unknownKeys:"strict",...e!==void 0?{errorMap:(s,r)=>{let i=this._def.errorMap?.(s,r).message??r.defaultError;return s.code==="unrecognized_keys"?{message:I.errToObj(e).message??i}:{message:i}}}:{}})}strip(){return new t({...this._def,unknownKeys:"strip"})}passthrough(){return new t({...this._def,unknownKeys:"passthrough"})}extend(e){return new t({...this._def,shape:()=>({...this._def.shape(),...e})})}merge(e){return new t({unknownKeys:e._def.unknownKeys,catchall:e._def.catchall,shape:()=>({...this._def.shape(),...e._def.shape()}),typeName:D.ZodObject})}setKey(e,s){return this.augment({[e]:s})}catchall(e){return new t({...this._def,catchall:e})}pick(e){let s={};for(let r of W.objectKeys(e))e[r]&&this.shape[r]&&(s[r]=this.shape[r]);return new t({...this._def,shape:()=>s})}omit(e){let s={};for(let r of W.objectKeys(this.shape))e[r]||(s[r]=this.shape[r]);return new t({...this._def,shape:()=>s})}deepPartial(){return kt(this)}partial(e){let s={};for(let r of W.objectKeys(this.shape)){let i=this.shape[r];e&&!e[r]?s[r]=i:s[r]=i.optional()}return new t({...this._def,shape:()=>s})}required(e){let s={};for(let r of W.objectKeys(this.shape))if(e&&!e[r])s[r]=this.shape[r];else{let a=this.shape[r];for(;a instanceof ge;)a=a._def.innerType;s[r]=a}return new t({...this._def,shape:()=>s})}keyof(){return xi(W.objectKeys(this.shape))}};he.create=(t,e)=>new he({shape:()=>t,unknownKeys:"strip",catchall:xe.create(),typeName:D.ZodObject,...z(e)});he.strictCreate=(t,e)=>new he({shape:()=>t,unknownKeys:"strict",catchall:xe.create(),typeName:D.ZodObject,...z(e)});he.lazycreate=(t,e)=>new he({shape:t,unknownKeys:"strip",catchall:xe.create(),typeName:D.ZodObject,...z(e)});var at=class extends U{_parse(e){let{ctx:s}=this._processInputParams(e),r=this._def.options;function i(a){for(let o of a)if(o.result.status==="valid")return o.result;for(let o of a)if(o.result.status==="dirty")return s.common.issues.push(...o.ctx.common.issues),o.result;let n=a.map(o=>new de(o.ctx.common.issues));return T(s,{code:$.invalid_union,unionErrors:n}),R}if(s.common.async)return Promise.all(r.map(async a=>{let n={...s,common:{...s.common,issues:[]},parent:null};return{result:await a._parseAsync({data:s.data,path:s.path,parent:n}),ctx:n}})).then(i);{let a,n=[];for(let d of r){let c={...s,common:{...s.common,issues:[]},parent:null},l=d._parseSync({data:s.data,path:s.path,parent:c});if(l.status==="valid")return l;l.status==="dirty"&&!a&&(a={result:l,ctx:c}),c.common.issues.length&&n.push(c.common.issues)}if(a)return s.common.issues.push(...a.ctx.common.issues),a.result;let o=n.map(d=>new de(d));return T(s,{code:$.invalid_union,unionErrors:o}),R}}get options(){return this._def.options}};at.create=(t,e)=>new at({options:t,typeName:D.ZodUnion,...z(e)});var Re=t=>t instanceof ot?Re(t.schema):t instanceof ve?Re(t.innerType()):t instanceof lt?[t.value]:t instanceof ct?t.options:t instanceof ut?W.objectValues(t.enum):t instanceof dt?Re(t._def.innerType):t instanceof rt?[void 0]:t instanceof it?[null]:t instanceof ge?[void 0,...Re(t.unwrap())]:t instanceof ke?[null,...Re(t.unwrap())]:t instanceof Ut||t instanceof pt?Re(t.unwrap()):t instanceof ht?Re(t._def.innerType):[],bs=class t extends U{_parse(e){let{ctx:s}=this._processInputParams(e);if(s.parsedType!==E.object)return T(s,{code:$.invalid_type,expected:E.object,received:s.parsedType}),R;let r=this.discriminator,i=s.data[r],a=this.optionsMap.get(i);return a?s.common.async?a._parseAsync({data:s.data,path:s.path,parent:s}):a._parseSync({data:s.data,path:s.path,parent:s}):(T(s,{code:$.invalid_union_discriminator,options:Array.from(this.optionsMap.keys()),path:[r]}),R)}get discriminator(){return this._def.discriminator}get options(){return this._def.options}get optionsMap(){return this._def.optionsMap}static create(e,s,r){let i=new Map;for(let a of s){let n=Re(a.shape[e]);if(!n.length)throw new Error(`A discriminator value for key \`${e}\` could not be extracted from all schema options`);for(let o of n){if(i.has(o))throw new Error(`Discriminator property ${String(e)} has duplicate value ${String(o)}`);i.set(o,a)}}return new t({typeName:D.ZodDiscriminatedUnion,discriminator:e,options:s,optionsMap:i,...z(r)})}};function $r(t,e){let s=Se(t),r=Se(e);if(t===e)return{valid:!0,data:t};if(s===E.object&&r===E.object){let i=W.objectKeys(e),a=W.objectKeys(t).filter(o=>i.indexOf(o)!==-1),n={...t,...e};for(let o of a){let d=$r(t[o],e[o]);if(!d.valid)return{valid:!1};n[o]=d.data}return{valid:!0,data:n}}else if(s===E.array&&r===E.array){if(t.length!==e.length)return{valid:!1};let i=[];for(let a=0;a<t.length;a++){let n=t[a],o=e[a],d=$r(n,o);if(!d.valid)return{valid:!1};i.push(d.data)}return{valid:!0,data:i}}else return s===E.date&&r===E.date&&+t==+e?{valid:!0,data:t}:{valid:!1}}var nt=class extends U{_parse(e){let{status:s,ctx:r}=this._processInputParams(e),i=(a,n)=>{if(vs(a)||vs(n))return R;let o=$r(a.value,n.value);return o.valid?((_s(a)||_s(n))&&s.dirty(),{status:s.value,value:o.data}):(T(r,{code:$.invalid_intersection_types}),R)};return r.common.async?Promise.all([this._def.left._parseAsync({data:r.data,path:r.path,parent:r}),this._def.right._parseAsync({data:r.data,path:r.path,parent:r})]).then(([a,n])=>i(a,n)):i(this._def.left._parseSync({data:r.data,path:r.path,parent:r}),this._def.right._parseSync({data:r.data,path:r.path,parent:r}))}};nt.create=(t,e,s)=>new nt({left:t,right:e,typeName:D.ZodIntersection,...z(s)});var Ce=class t extends U{_parse(e){let{status:s,ctx:r}=this._processInputParams(e);if(r.parsedType!==E.array)return T(r,{code:$.invalid_type,expected:E.array,received:r.parsedType}),R;if(r.data.length<this._def.items.length)return T(r,{code:$.too_small,minimum:this._def.items.length,inclusive:!0,exact:!1,type:"array"}),R;!this._def.rest&&r.data.length>this._def.items.length&&(T(r,{code:$.too_big,maximum:this._def.items.length,inclusive:!0,exact:!1,type:"array"}),s.dirty());let a=[...r.data].map((n,o)=>{let d=this._def.items[o]||this._def.rest;return d?d._parse(new ye(r,n,r.path,o)):null}).filter(n=>!!n);return r.common.async?Promise.all(a).then(n=>ae.mergeArray(s,n)):ae.mergeArray(s,a)}get items(){return this._def.items}rest(e){return new t({...this._def,rest:e})}};Ce.create=(t,e)=>{if(!Array.isArray(t))throw new Error("You must pass an array of schemas to z.tuple([ ... ])");return new Ce({items:t,typeName:D.ZodTuple,rest:null,...z(e)})};var xs=class t extends U{get keySchema(){return this._def.keyType}get valueSchema(){return this._def.valueType}_parse(e){let{status:s,ctx:r}=this._processInputParams(e);if(r.parsedType!==E.object)return T(r,{code:$.invalid_type,expected:E.object,received:r.parsedType}),R;let i=[],a=this._def.keyType,n=this._def.valueType;for(let o in r.data)i.push({key:a._parse(new ye(r,o,r.path,o)),value:n._parse(new ye(r,r.data[o],r.path,o)),alwaysSet:o in r.data});return r.common.async?ae.mergeObjectAsync(s,i):ae.mergeObjectSync(s,i)}get element(){return this._def.valueType}static create(e,s,r){return s instanceof U?new t({keyType:e,valueType:s,typeName:D.ZodRecord,...z(r)}):new t({keyType:He.create(),valueType:e,typeName:D.ZodRecord,...z(s)})}},At=class extends U{get keySchema(){return this._def.keyType}get valueSchema(){return this._def.valueType}_parse(e){let{status:s,ctx:r}=this._processInputParams(e);if(r.parsedType!==E.map)return T(r,{code:$.invalid_type,expected:E.map,received:r.parsedType}),R;let i=this._def.keyType,a=this._def.valueType,n=[...r.data.entries()].map(([o,d],c)=>({key:i._parse(new ye(r,o,r.path,[c,"key"])),value:a._parse(new ye(r,d,r.path,[c,"value"]))}));if(r.common.async){let o=new Map;return Promise.resolve().then(async()=>{for(let d of n){let c=await d.key,l=await d.value;if(c.status==="aborted"||l.status==="aborted")return R;(c.status==="dirty"||l.status==="dirty")&&s.dirty(),o.set(c.value,l.value)}return{status:s.value,value:o}})}else{let o=new Map;for(let d of n){let c=d.key,l=d.value;if(c.status==="aborted"||l.status==="aborted")return R;(c.status==="dirty"||l.status==="dirty")&&s.dirty(),o.set(c.value,l.value)}return{status:s.value,value:o}}}};At.create=(t,e,s)=>new At({valueType:e,keyType:t,typeName:D.ZodMap,...z(s)});var It=class t extends U{_parse(e){let{status:s,ctx:r}=this._processInputParams(e);if(r.parsedType!==E.set)return T(r,{code:$.invalid_type,expected:E.set,received:r.parsedType}),R;let i=this._def;i.minSize!==null&&r.data.size<i.minSize.value&&(T(r,{code:$.too_small,minimum:i.minSize.value,type:"set",inclusive:!0,exact:!1,message:i.minSize.message}),s.dirty()),i.maxSize!==null&&r.data.size>i.maxSize.value&&(T(r,{code:$.too_big,maximum:i.maxSize.value,type:"set",inclusive:!0,exact:!1,message:i.maxSize.message}),s.dirty());let a=this._def.valueType;function n(d){let c=new Set;for(let l of d){if(l.status==="aborted")return R;l.status==="dirty"&&s.dirty(),c.add(l.value)}return{status:s.value,value:c}}let o=[...r.data.values()].map((d,c)=>a._parse(new ye(r,d,r.path,c)));return r.common.async?Promise.all(o).then(d=>n(d)):n(o)}min(e,s){return new t({...this._def,minSize:{value:e,message:I.toString(s)}})}max(e,s){return new t({...this._def,maxSize:{value:e,message:I.toString(s)}})}size(e,s){return this.min(e,s).max(e,s)}nonempty(e){return this.min(1,e)}};It.create=(t,e)=>new It({valueType:t,minSize:null,maxSize:null,typeName:D.ZodSet,...z(e)});var ws=class t extends U{constructor(){super(...arguments),this.validate=this.implement}_parse(e){let{ctx:s}=this._processInputParams(e);if(s.parsedType!==E.function)return T(s,{code:$.invalid_type,expected:E.function,received:s.parsedType}),R;function r(o,d){return Vt({data:o,path:s.path,errorMaps:[s.common.contextualErrorMap,s.schemaErrorMap,St(),je].filter(c=>!!c),issueData:{code:$.invalid_arguments,argumentsError:d}})}function i(o,d){return Vt({data:o,path:s.path,errorMaps:[s.common.contextualErrorMap,s.schemaErrorMap,St(),je].filter(c=>!!c),issueData:{code:$.invalid_return_type,returnTypeError:d}})}let a={errorMap:s.common.contextualErrorMap},n=s.data;if(this._def.returns instanceof qe){let o=this;return le(async function(...d){let c=new de([]),l=await o._def.args.parseAsync(d,a).catch(p=>{throw c.addIssue(r(d,p)),c}),u=await Reflect.apply(n,this,l);return await o._def.returns._def.type.parseAsync(u,a).catch(p=>{throw c.addIssue(i(u,p)),c})})}else{let o=this;return le(function(...d){let c=o._def.args.safeParse(d,a);if(!c.success)throw new de([r(d,c.error)]);let l=Reflect.apply(n,this,c.data),u=o._def.returns.safeParse(l,a);if(!u.success)throw new de([i(l,u.error)]);return u.data})}}parameters(){return this._def.args}returnType(){return this._def.returns}args(...e){return new t({...this._def,args:Ce.create(e).rest(De.create())})}returns(e){return new t({...this._def,returns:e})}implement(e){return this.parse(e)}strictImplement(e){return this.parse(e)}static create(e,s,r){return new t({args:e||Ce.create([]).rest(De.create()),returns:s||De.create(),typeName:D.ZodFunction,...z(r)})}},ot=class extends U{get schema(){return this._def.getter()}_parse(e){let{ctx:s}=this._processInputParams(e);return this._def.getter()._parse({data:s.data,path:s.path,parent:s})}};ot.create=(t,e)=>new ot({getter:t,typeName:D.ZodLazy,...z(e)});var lt=class extends U{_parse(e){if(e.data!==this._def.value){let s=this._getOrReturnCtx(e);return T(s,{received:s.data,code:$.invalid_literal,expected:this._def.value}),R}return{status:"valid",value:e.data}}get value(){return this._def.value}};lt.create=(t,e)=>new lt({value:t,typeName:D.ZodLiteral,...z(e)});function xi(t,e){return new ct({values:t,typeName:D.ZodEnum,...z(e)})}var ct=class t extends U{_parse(e){if(typeof e.data!="string"){let s=this._getOrReturnCtx(e),r=this._def.values;return T(s,{expected:W.joinValues(r),received:s.parsedType,code:$.invalid_type}),R}if(this._cache||(this._cache=new Set(this._def.values)),!this._cache.has(e.data)){let s=this._getOrReturnCtx(e),r=this._def.values;return T(s,{received:s.data,code:$.invalid_enum_value,options:r}),R}return le(e.data)}get options(){return this._def.values}get enum(){let e={};for(let s of this._def.values)e[s]=s;return e}get Values(){let e={};for(let s of this._def.values)e[s]=s;return e}get Enum(){let e={};for(let s of this._def.values)e[s]=s;return e}extract(e,s=this._def){return t.create(e,{...this._def,...s})}exclude(e,s=this._def){return t.create(this.options.filter(r=>!e.includes(r)),{...this._def,...s})}};ct.create=xi;var ut=class extends U{_parse(e){let s=W.getValidEnumValues(this._def.values),r=this._getOrReturnCtx(e);if(r.parsedType!==E.string&&r.parsedType!==E.number){let i=W.objectValues(s);return T(r,{expected:W.joinValues(i),received:r.parsedType,code:$.invalid_type}),R}if(this._cache||(this._cache=new Set(W.getValidEnumValues(this._def.values))),!this._cache.has(e.data)){let i=W.objectValues(s);return T(r,{received:r.data,code:$.invalid_enum_value,options:i}),R}return le(e.data)}get enum(){return this._def.values}};ut.create=(t,e)=>new ut({values:t,typeName:D.ZodNativeEnum,...z(e)});var qe=class extends U{unwrap(){return this._def.type}_parse(e){let{ctx:s}=this._processInputParams(e);if(s.parsedType!==E.promise&&s.common.async===!1)return T(s,{code:$.invalid_type,expected:E.promise,received:s.parsedType}),R;let r=s.parsedType===E.promise?s.data:Promise.resolve(s.data);return le(r.then(i=>this._def.type.parseAsync(i,{path:s.path,errorMap:s.common.contextualErrorMap})))}};qe.create=(t,e)=>new qe({type:t,typeName:D.ZodPromise,...z(e)});var ve=class extends U{innerType(){return this._def.schema}sourceType(){return this._def.schema._def.typeName===D.ZodEffects?this._def.schema.sourceType():this._def.schema}_parse(e){let{status:s,ctx:r}=this._processInputParams(e),i=this._def.effect||null,a={addIssue:n=>{T(r,n),n.fatal?s.abort():s.dirty()},get path(){return r.path}};if(a.addIssue=a.addIssue.bind(a),i.type==="preprocess"){let n=i.transform(r.data,a);if(r.common.async)return Promise.resolve(n).then(async o=>{if(s.value==="aborted")return R;let d=await this._def.schema._parseAsync({data:o,path:r.path,parent:r});return d.status==="aborted"?R:d.status==="dirty"?Xe(d.value):s.value==="dirty"?Xe(d.value):d});{if(s.value==="aborted")return R;let o=this._def.schema._parseSync({data:n,path:r.path,parent:r});return o.status==="aborted"?R:o.status==="dirty"?Xe(o.value):s.value==="dirty"?Xe(o.value):o}}if(i.type==="refinement"){let n=o=>{let d=i.refinement(o,a);if(r.common.async)return Promise.resolve(d);if(d instanceof Promise)throw new Error("Async refinement encountered during synchronous parse operation. Use .parseAsync instead.");return o};if(r.common.async===!1){let o=this._def.schema._parseSync({data:r.data,path:r.path,parent:r});return o.status==="aborted"?R:(o.status==="dirty"&&s.dirty(),n(o.value),{status:s.value,value:o.value})}else return this._def.schema._parseAsync({data:r.data,path:r.path,parent:r}).then(o=>o.status==="aborted"?R:(o.status==="dirty"&&s.dirty(),n(o.value).then(()=>({status:s.value,value:o.value}))))}if(i.type==="transform")if(r.common.async===!1){let n=this._def.schema._parseSync({data:r.data,path:r.path,parent:r});if(!We(n))return R;let o=i.transform(n.value,a);if(o instanceof Promise)throw new Error("Asynchronous transform encountered during synchronous parse operation. Use .parseAsync instead.");return{status:s.value,value:o}}else return this._def.schema._parseAsync({data:r.data,path:r.path,parent:r}).then(n=>We(n)?Promise.resolve(i.transform(n.value,a)).then(o=>({status:s.value,value:o})):R);W.assertNever(i)}};ve.create=(t,e,s)=>new ve({schema:t,typeName:D.ZodEffects,effect:e,...z(s)});ve.createWithPreprocess=(t,e,s)=>new ve({schema:e,effect:{type:"preprocess",transform:t},typeName:D.ZodEffects,...z(s)});var ge=class extends U{_parse(e){return this._getType(e)===E.undefined?le(void 0):this._def.innerType._parse(e)}unwrap(){return this._def.innerType}};ge.create=(t,e)=>new ge({innerType:t,typeName:D.ZodOptional,...z(e)});var ke=class extends U{_parse(e){return this._getType(e)===E.null?le(null):this._def.innerType._parse(e)}unwrap(){return this._def.innerType}};ke.create=(t,e)=>new ke({innerType:t,typeName:D.ZodNullable,...z(e)});var dt=class extends U{_parse(e){let{ctx:s}=this._processInputParams(e),r=s.data;return s.parsedType===E.undefined&&(r=this._def.defaultValue()),this._def.innerType._parse({data:r,path:s.path,parent:s})}removeDefault(){return this._def.innerType}};dt.create=(t,e)=>new dt({innerType:t,typeName:D.ZodDefault,defaultValue:typeof e.default=="function"?e.default:()=>e.default,...z(e)});var ht=class extends U{_parse(e){let{ctx:s}=this._processInputParams(e),r={...s,common:{...s.common,issues:[]}},i=this._def.innerType._parse({data:r.data,path:r.path,parent:{...r}});return Ct(i)?i.then(a=>({status:"valid",value:a.status==="valid"?a.value:this._def.catchValue({get error(){return new de(r.common.issues)},input:r.data})})):{status:"valid",value:i.status==="valid"?i.value:this._def.catchValue({get error(){return new de(r.common.issues)},input:r.data})}}removeCatch(){return this._def.innerType}};ht.create=(t,e)=>new ht({innerType:t,typeName:D.ZodCatch,catchValue:typeof e.catch=="function"?e.catch:()=>e.catch,...z(e)});var Ot=class extends U{_parse(e){if(this._getType(e)!==E.nan){let r=this._getOrReturnCtx(e);return T(r,{code:$.invalid_type,expected:E.nan,received:r.parsedType}),R}return{status:"valid",value:e.data}}};Ot.create=t=>new Ot({typeName:D.ZodNaN,...z(t)});var Mn=Symbol("zod_brand"),Ut=class extends U{_parse(e){let{ctx:s}=this._processInputParams(e),r=s.data;return this._def.type._parse({data:r,path:s.path,parent:s})}unwrap(){return this._def.type}},Lt=class t extends U{_parse(e){let{status:s,ctx:r}=this._processInputParams(e);if(r.common.async)return(async()=>{let a=await this._def.in._parseAsync({data:r.data,path:r.path,parent:r});return a.status==="aborted"?R:a.status==="dirty"?(s.dirty(),Xe(a.value)):this._def.out._parseAsync({data:a.value,path:r.path,parent:r})})();{let i=this._def.in._parseSync({data:r.data,path:r.path,parent:r});return i.status==="aborted"?R:i.status==="dirty"?(s.dirty(),{status:"dirty",value:i.value}):this._def.out._parseSync({data:i.value,path:r.path,parent:r})}}static create(e,s){return new t({in:e,out:s,typeName:D.ZodPipeline})}},pt=class extends U{_parse(e){let s=this._def.innerType._parse(e),r=i=>(We(i)&&(i.value=Object.freeze(i.value)),i);return Ct(s)?s.then(i=>r(i)):r(s)}unwrap(){return this._def.innerType}};pt.create=(t,e)=>new pt({innerType:t,typeName:D.ZodReadonly,...z(e)});function yi(t,e){let s=typeof t=="function"?t(e):typeof t=="string"?{message:t}:t;return typeof s=="string"?{message:s}:s}function wi(t,e={},s){return t?Ze.create().superRefine((r,i)=>{let a=t(r);if(a instanceof Promise)return a.then(n=>{if(!n){let o=yi(e,r),d=o.fatal??s??!0;i.addIssue({code:"custom",...o,fatal:d})}});if(!a){let n=yi(e,r),o=n.fatal??s??!0;i.addIssue({code:"custom",...n,fatal:o})}}):Ze.create()}var Nn={object:he.lazycreate},D;(function(t){t.ZodString="ZodString",t.ZodNumber="ZodNumber",t.ZodNaN="ZodNaN",t.ZodBigInt="ZodBigInt",t.ZodBoolean="ZodBoolean",t.ZodDate="ZodDate",t.ZodSymbol="ZodSymbol",t.ZodUndefined="ZodUndefined",t.ZodNull="ZodNull",t.ZodAny="ZodAny",t.ZodUnknown="ZodUnknown",t.ZodNever="ZodNever",t.ZodVoid="ZodVoid",t.ZodArray="ZodArray",t.ZodObject="ZodObject",t.ZodUnion="ZodUnion",t.ZodDiscriminatedUnion="ZodDiscriminatedUnion",t.ZodIntersection="ZodIntersection",t.ZodTuple="ZodTuple",t.ZodRecord="ZodRecord",t.ZodMap="ZodMap",t.ZodSet="ZodSet",t.ZodFunction="ZodFunction",t.ZodLazy="ZodLazy",t.ZodLiteral="ZodLiteral",t.ZodEnum="ZodEnum",t.ZodEffects="ZodEffects",t.ZodNativeEnum="ZodNativeEnum",t.ZodOptional="ZodOptional",t.ZodNullable="ZodNullable",t.ZodDefault="ZodDefault",t.ZodCatch="ZodCatch",t.ZodPromise="ZodPromise",t.ZodBranded="ZodBranded",t.ZodPipeline="ZodPipeline",t.ZodReadonly="ZodReadonly"})(D||(D={}));var zn=(t,e={message:`Input not instance of ${t.name}`})=>wi(s=>s instanceof t,e),$i=He.create,Si=Qe.create,Vn=Ot.create,Un=et.create,Ci=tt.create,Ln=st.create,Fn=Tt.create,Bn=rt.create,Wn=it.create,Hn=Ze.create,Zn=De.create,qn=xe.create,Gn=Et.create,Kn=Pe.create,Yn=he.create,Jn=he.strictCreate,Xn=at.create,Qn=bs.create,eo=nt.create,to=Ce.create,so=xs.create,ro=At.create,io=It.create,ao=ws.create,no=ot.create,oo=lt.create,lo=ct.create,co=ut.create,uo=qe.create,ho=ve.create,po=ge.create,fo=ke.create,mo=ve.createWithPreprocess,go=Lt.create,yo=()=>$i().optional(),vo=()=>Si().optional(),_o=()=>Ci().optional(),bo={string:(t=>He.create({...t,coerce:!0})),number:(t=>Qe.create({...t,coerce:!0})),boolean:(t=>tt.create({...t,coerce:!0})),bigint:(t=>et.create({...t,coerce:!0})),date:(t=>st.create({...t,coerce:!0}))};var xo=R;var Te=(t,e)=>{let s=Object.keys(t).filter(r=>t[r]!==void 0);s.length!==1&&e.addIssue({code:x.ZodIssueCode.custom,message:`Must define exactly one property, found ${s.length} (${s.join(", ")}).`})},_e=x.object({path:x.string().optional(),literalString:x.string().optional(),literal:x.string().optional()}).strict().superRefine(Te),ki=x.lazy(()=>x.object({key:x.string(),valueString:x.string().optional(),valueNumber:x.number().optional(),valueBoolean:x.boolean().optional(),valueMap:x.array(ki).optional()}).strict().superRefine((t,e)=>{let s=0;t.valueString!==void 0&&s++,t.valueNumber!==void 0&&s++,t.valueBoolean!==void 0&&s++,t.valueMap!==void 0&&s++,s!==1&&e.addIssue({code:x.ZodIssueCode.custom,message:`Value map item must have exactly one value property (valueString, valueNumber, valueBoolean, valueMap), found ${s}.`})}));function wo(t={}){let e=t.maxDepth??5;return ki.superRefine((s,r)=>{let i=(a,n)=>{if(n>e){r.addIssue({code:x.ZodIssueCode.custom,message:`valueMap recursion exceeded maximum depth of ${e}.`});return}if(a.valueMap&&Array.isArray(a.valueMap))for(let o of a.valueMap)i(o,n+1)};i(s,1)})}var Ti=wo(),Pc=x.object({path:x.string().optional(),literalNumber:x.number().optional(),literal:x.number().optional()}).strict().superRefine(Te),Mc=x.object({path:x.string().optional(),literalBoolean:x.boolean().optional(),literal:x.boolean().optional()}).strict().superRefine(Te),$o=x.object({name:x.string().describe("A unique name identifying the action (e.g., 'submitForm')."),context:x.array(x.object({key:x.string(),value:x.object({path:x.string().describe("A data binding reference to a location in the data model (e.g., '/user/name').").optional(),literalString:x.string().describe("A fixed, hardcoded string value.").optional(),literalNumber:x.number().optional(),literalBoolean:x.boolean().optional()}).describe("The dynamic value. Define EXACTLY ONE of the nested properties.").strict().superRefine(Te)})).describe("A key-value map of data bindings to be resolved when the action is triggered.").optional()}),Ei=x.object({text:_e,usageHint:x.enum(["h1","h2","h3","h4","h5","caption","body"]).optional()}),Ai=x.object({url:_e,usageHint:x.enum(["icon","avatar","smallFeature","mediumFeature","largeFeature","header"]).optional(),fit:x.enum(["contain","cover","fill","none","scale-down"]).optional(),altText:_e.optional()}),Ii=x.object({name:_e}),Oi=x.object({url:_e}),ji=x.object({url:_e,description:_e.optional().describe("A label, title, or placeholder text.")}),Ri=x.object({tabItems:x.array(x.object({title:x.object({path:x.string().describe("A data binding reference to a location in the data model (e.g., '/user/name').").optional(),literalString:x.string().describe("A fixed, hardcoded string value.").optional()}),child:x.string().describe("A reference to a component instance by its unique ID.")}).strict().superRefine((t,e)=>{t.title||e.addIssue({code:x.ZodIssueCode.custom,message:"Tab item is missing 'title'."}),t.child||e.addIssue({code:x.ZodIssueCode.custom,message:"Tab item is missing 'child'."}),t.title&&Te(t.title,e)})).describe("A list of tabs, each with a title and a child component ID.")}),Di=x.object({axis:x.enum(["horizontal","vertical"]).optional().describe("The orientation."),color:x.string().optional().describe("The color of the divider (e.g., hex code or semantic name)."),thickness:x.number().optional().describe("The thickness of the divider.")}),Pi=x.object({entryPointChild:x.string().describe("The ID of the component (e.g., a button) that triggers the modal."),contentChild:x.string().describe("The ID of the component to display as the modal's content.")}),Mi=x.object({child:x.string().describe("The ID of the component to display as the button's content."),action:$o.describe("Represents a user-initiated action."),primary:x.boolean().optional().describe("Indicates if this button should be styled as the primary action.")}),Ni=x.object({label:_e,value:x.object({path:x.string().describe("A data binding reference to a location in the data model (e.g., '/user/name').").optional(),literalBoolean:x.boolean().optional()}).strict().superRefine(Te)}),zi=x.object({text:_e.optional(),label:_e.describe("A label, title, or placeholder text."),textFieldType:x.enum(["shortText","number","date","longText","obscured"]).optional(),validationRegexp:x.string().optional().describe("A regex string to validate the input.")}),Vi=x.object({value:_e,enableDate:x.boolean().optional(),enableTime:x.boolean().optional(),outputFormat:x.string().optional().describe("The string format for the output (e.g., 'YYYY-MM-DD').")}),Ui=x.object({selections:x.object({path:x.string().describe("A data binding reference to a location in the data model (e.g., '/user/name').").optional(),literalArray:x.array(x.string()).optional()}).strict().superRefine(Te),options:x.array(x.object({label:x.object({path:x.string().describe("A data binding reference to a location in the data model (e.g., '/user/name').").optional(),literalString:x.string().describe("A fixed, hardcoded string value.").optional()}).strict().superRefine(Te),value:x.string()})).optional(),maxAllowedSelections:x.number().optional(),type:x.enum(["checkbox","chips"]).optional(),filterable:x.boolean().optional()}),Li=x.object({value:x.object({path:x.string().describe("A data binding reference to a location in the data model (e.g., '/user/name').").optional(),literalNumber:x.number().optional()}).strict().superRefine(Te),minValue:x.number().optional(),maxValue:x.number().optional(),label:_e.optional()}),So=x.object({componentId:x.string(),dataBinding:x.string()}),Sr=x.object({explicitList:x.array(x.string()).optional(),template:So.describe("A template for generating a dynamic list of children from a data model list. `componentId` is the component to use as a template, and `dataBinding` is the path to the map of components in the data model. Values in the map will define the list of children.").optional()}).strict().superRefine(Te),Fi=x.object({children:Sr,distribution:x.enum(["start","center","end","spaceBetween","spaceAround","spaceEvenly"]).optional(),alignment:x.enum(["start","center","end","stretch"]).optional()}),Bi=x.object({children:Sr,distribution:x.enum(["start","center","end","spaceBetween","spaceAround","spaceEvenly"]).optional(),alignment:x.enum(["start","center","end","stretch"]).optional()}),Wi=x.object({children:Sr,direction:x.enum(["vertical","horizontal"]).optional(),alignment:x.enum(["start","center","end","stretch"]).optional()}),Hi=x.object({child:x.string().describe("The ID of the component to be rendered inside the card.")});var Co=Ti.describe("A single data entry. Exactly one 'value*' property should be provided alongside the key."),ko=x.object({Text:Ei.optional(),Image:Ai.optional(),Icon:Ii.optional(),Video:Oi.optional(),AudioPlayer:ji.optional(),Row:x.lazy(()=>Fi).optional(),Column:x.lazy(()=>Bi).optional(),List:x.lazy(()=>Wi).optional(),Card:x.lazy(()=>Hi).optional(),Tabs:Ri.optional(),Divider:Di.optional(),Modal:Pi.optional(),Button:Mi.optional(),Checkbox:Ni.optional(),TextField:zi.optional(),DateTimeInput:Vi.optional(),MultipleChoice:Ui.optional(),Slider:Li.optional()}).catchall(x.any()),To=ko,Eo=x.object({id:x.string().describe("The unique identifier for this component."),weight:x.number().optional().describe("The relative weight of this component within a Row or Column. This corresponds to the CSS 'flex-grow' property. Note: this may ONLY be set when the component is a direct descendant of a Row or Column."),component:To.describe("A wrapper object that MUST contain exactly one key, which is the name of the component type (e.g., 'Heading'). The value is an object containing the properties for that specific component.")}).strict().describe("Represents a *single* component in a UI widget tree. This component could be one of many supported types."),Ao=x.object({surfaceId:x.string().describe("The unique identifier for the UI surface to be rendered."),catalogId:x.string().optional().describe("The identifier of the component catalog to use for this surface. If omitted, the client MUST default to the standard catalog for this A2UI version (https://a2ui.org/specification/v0_8/standard_catalog_definition.json)."),root:x.string().describe("The ID of the root component to render."),styles:x.object({font:x.string().optional().describe("The primary font for the UI."),primaryColor:x.string().regex(/^#[0-9a-fA-F]{6}$/).optional().describe("The primary UI color as a hexadecimal code (e.g., '#00BFFF').")}).strict().optional().describe("Styling information for the UI.")}).strict().describe("Signals the client to begin rendering a surface with a root component and specific styles."),Io=x.object({surfaceId:x.string().describe("The unique identifier for the UI surface to be updated. If you are adding a new surface this *must* be a new, unique identified that has never been used for any existing surfaces shown."),components:x.array(Eo).min(1).describe("A list containing all UI components for the surface.")}).strict().superRefine((t,e)=>{let s=new Set;for(let i of t.components)i.id&&(s.has(i.id)&&e.addIssue({code:x.ZodIssueCode.custom,message:`Duplicate component ID found: ${i.id}`,path:["components"]}),s.add(i.id));let r=(i,a)=>{for(let n of i)n&&!s.has(n)&&e.addIssue({code:x.ZodIssueCode.custom,message:`Component '${a}' references non-existent component ID '${n}'.`,path:["components"]})};for(let i of t.components){if(!i.id||!i.component)continue;let a=Object.keys(i.component);if(a.length!==1)continue;let n=a[0],o=i.component[n];switch(n){case"Row":case"Column":case"List":if(o.children&&!Array.isArray(o.children)){let d=!!o.children.explicitList,c=!!o.children.template;(d&&c||!d&&!c)&&e.addIssue({code:x.ZodIssueCode.custom,message:`Component '${i.id}' must have either 'explicitList' or 'template' in children, but not both or neither.`}),d&&r(o.children.explicitList,i.id),c&&r([o.children.template?.componentId],i.id)}break;case"Card":o.child&&r([o.child],i.id);break;case"Tabs":o.tabItems&&Array.isArray(o.tabItems)&&o.tabItems.forEach(d=>{d.child&&r([d.child],i.id)});break;case"Modal":r([o.entryPointChild,o.contentChild],i.id);break;case"Button":o.child&&r([o.child],i.id);break}}}).describe("Updates a surface with a new set of components."),Oo=x.object({surfaceId:x.string().describe("The unique identifier for the UI surface this data model update applies to."),path:x.string().optional().describe("An optional path to a location within the data model (e.g., '/user/name'). If omitted, or set to '/', the entire data model will be replaced."),contents:x.array(Co).describe("An array of data entries. Each entry must contain a 'key' and exactly one corresponding typed 'value*' property.")}).strict().describe("Updates the data model for a surface."),jo=x.object({surfaceId:x.string().describe("The unique identifier for the UI surface to be deleted.")}).strict().describe("Signals the client to delete the surface identified by 'surfaceId'."),Zi=x.object({beginRendering:Ao.optional(),surfaceUpdate:Io.optional(),dataModelUpdate:Oo.optional(),deleteSurface:jo.optional()}).strict().superRefine((t,e)=>{Object.keys(t).filter(r=>["beginRendering","surfaceUpdate","dataModelUpdate","deleteSurface"].includes(r)).length!==1&&e.addIssue({code:x.ZodIssueCode.custom,message:"A2UI Protocol message must have exactly one of: surfaceUpdate, dataModelUpdate, beginRendering, deleteSurface."})}).describe("Describes a JSON payload for an A2UI (Agent to UI) message, which is used to dynamically construct and update user interfaces. A message MUST contain exactly ONE of the action properties: 'beginRendering', 'surfaceUpdate', 'dataModelUpdate', or 'deleteSurface'.");var $s=class extends Error{constructor(e,s="UNKNOWN_ERROR"){super(e),this.name=this.constructor.name,this.code=s,Error.captureStackTrace&&Error.captureStackTrace(this,this.constructor)}},ee=class extends $s{constructor(e,s){super(e,"VALIDATION_ERROR"),this.details=s}};var Ss=class extends $s{constructor(e){super(e,"STATE_ERROR")}};var H=class t{constructor(e={mapCtor:Map,arrayCtor:Array,setCtor:Set,objCtor:Object}){this.opts=e,this.mapCtor=Map,this.arrayCtor=Array,this.setCtor=Set,this.objCtor=Object,this.arrayCtor=e.arrayCtor,this.mapCtor=e.mapCtor,this.setCtor=e.setCtor,this.objCtor=e.objCtor,this.surfaces=new e.mapCtor}getSurfaces(){let e=this.surfaces,s=new Map;for(let[r,i]of e)i.rootComponentId&&s.set(r,i);return s}clearSurfaces(){this.surfaces.clear()}processMessages(e){for(let s of e){let r=Zi.parse(s);r.beginRendering&&this.handleBeginRendering(r.beginRendering,r.beginRendering.surfaceId),r.surfaceUpdate&&this.handleSurfaceUpdate(r.surfaceUpdate,r.surfaceUpdate.surfaceId),r.dataModelUpdate&&this.handleDataModelUpdate(r.dataModelUpdate,r.dataModelUpdate.surfaceId),r.deleteSurface&&this.handleDeleteSurface(r.deleteSurface)}}getData(e,s,r=t.DEFAULT_SURFACE_ID){let i=this.getOrCreateSurface(r);if(!i)return null;let a;return s==="."||s===""?a=e.dataContextPath??"/":a=this.resolvePath(s,e.dataContextPath),this.getDataByPath(i.dataModel,a)}setData(e,s,r,i=t.DEFAULT_SURFACE_ID){if(!e){console.warn("No component node set");return}let a=this.getOrCreateSurface(i);if(!a)return;let n;s==="."||s===""?n=e.dataContextPath??"/":n=this.resolvePath(s,e.dataContextPath),this.setDataByPath(a.dataModel,n,r)}resolvePath(e,s){return e.startsWith("/")?e:s&&s!=="/"?s.endsWith("/")?`${s}${e}`:`${s}/${e}`:`/${e}`}parseIfJsonString(e){if(typeof e!="string")return e;let s=e.trim();if(s.startsWith("{")&&s.endsWith("}")||s.startsWith("[")&&s.endsWith("]"))try{return JSON.parse(e)}catch(r){return console.warn(`Failed to parse potential JSON string: "${e.substring(0,50)}..."`,r),e}return e}convertKeyValueArrayToMap(e){let s=new this.mapCtor;for(let r of e){if(!G(r)||!("key"in r))continue;let i=r.key,a=this.findValueKey(r);if(!a)continue;let n=r[a];a==="valueMap"&&Array.isArray(n)?n=this.convertKeyValueArrayToMap(n):typeof n=="string"&&(n=this.parseIfJsonString(n)),this.setDataByPath(s,i,n)}return s}setDataByPath(e,s,r){if(Array.isArray(r)&&(r.length===0||G(r[0])&&"key"in r[0]))if(r.length===1&&G(r[0])&&r[0].key==="."){let d=r[0],c=this.findValueKey(d);c?(r=d[c],c==="valueMap"&&Array.isArray(r)?r=this.convertKeyValueArrayToMap(r):typeof r=="string"&&(r=this.parseIfJsonString(r))):r=this.convertKeyValueArrayToMap(r)}else r=this.convertKeyValueArrayToMap(r);let i=this.normalizePath(s).split("/").filter(d=>d);if(i.length===0){if(r instanceof Map||G(r)){!(r instanceof Map)&&G(r)&&(r=new this.mapCtor(Object.entries(r))),e.clear();for(let[d,c]of r.entries())e.set(d,c)}else console.error("Cannot set root of DataModel to a non-Map value.");return}let a=e;for(let d=0;d<i.length-1;d++){let c=i[d],l;a instanceof Map?l=a.get(c):Array.isArray(a)&&/^\d+$/.test(c)&&(l=a[parseInt(c,10)]),(l===void 0||typeof l!="object"||l===null)&&(l=new this.mapCtor,a instanceof this.mapCtor?a.set(c,l):Array.isArray(a)&&(a[parseInt(c,10)]=l)),a=l}let n=i[i.length-1],o=r;a instanceof this.mapCtor?a.set(n,o):Array.isArray(a)&&/^\d+$/.test(n)&&(a[parseInt(n,10)]=o)}normalizePath(e){return"/"+e.replace(/\[(\d+)\]/g,".$1").split(".").filter(i=>i.length>0).join("/")}getDataByPath(e,s){let r=this.normalizePath(s).split("/").filter(a=>a),i=e;for(let a of r){if(i==null)return null;if(i instanceof Map)i=i.get(a);else if(Array.isArray(i)&&/^\d+$/.test(a))i=i[parseInt(a,10)];else if(G(i))i=i[a];else return null}return i}getOrCreateSurface(e){let s=this.surfaces.get(e);return s||(s=new this.objCtor({rootComponentId:null,componentTree:null,dataModel:new this.mapCtor,components:new this.mapCtor,styles:new this.objCtor}),this.surfaces.set(e,s)),s}handleBeginRendering(e,s){let r=this.getOrCreateSurface(s);r.rootComponentId=e.root,r.styles=e.styles??{},this.rebuildComponentTree(r)}handleSurfaceUpdate(e,s){let r=this.getOrCreateSurface(s);for(let i of e.components)r.components.set(i.id,i);this.rebuildComponentTree(r)}handleDataModelUpdate(e,s){let r=this.getOrCreateSurface(s),i=e.path??"/";this.setDataByPath(r.dataModel,i,e.contents),this.rebuildComponentTree(r)}handleDeleteSurface(e){this.surfaces.delete(e.surfaceId)}rebuildComponentTree(e){if(!e.rootComponentId){e.componentTree=null;return}let s=new this.setCtor;e.componentTree=this.buildNodeRecursive(e.rootComponentId,e,s,"/","")}findValueKey(e){return Object.keys(e).find(s=>s.startsWith("value"))}buildNodeRecursive(e,s,r,i,a=""){let n=`${e}${a}`,{components:o}=s;if(!o.has(e))return null;if(r.has(n))throw new Ss(`Circular dependency for component "${n}".`);r.add(n);let d=o.get(e),c=d.component??{},l=Object.keys(c)[0],u=c[l],m=new this.objCtor;if(G(u))for(let[g,f]of Object.entries(u))m[g]=this.resolvePropertyValue(f,s,r,i,a,g==="action");r.delete(n);let p={id:n,dataContextPath:i,weight:d.weight??"initial"};switch(l){case"Text":if(!yr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Text",properties:m});case"Image":if(!cr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Image",properties:m});case"Icon":if(!ur(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Icon",properties:m});case"Video":if(!_r(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Video",properties:m});case"AudioPlayer":if(!sr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"AudioPlayer",properties:m});case"Row":if(!fr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Row",properties:m});case"Column":if(!nr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Column",properties:m});case"List":if(!dr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"List",properties:m});case"Card":if(!ir(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Card",properties:m});case"Tabs":if(!gr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Tabs",properties:m});case"Divider":if(!lr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Divider",properties:m});case"Modal":if(!hr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Modal",properties:m});case"Button":if(!rr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Button",properties:m});case"CheckBox":if(!ar(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"CheckBox",properties:m});case"TextField":if(!vr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"TextField",properties:m});case"DateTimeInput":if(!or(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"DateTimeInput",properties:m});case"MultipleChoice":if(!pr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"MultipleChoice",properties:m});case"Slider":if(!mr(m))throw new ee(`Invalid data; expected ${l}`);return new this.objCtor({...p,type:"Slider",properties:m});default:return new this.objCtor({...p,type:l,properties:m})}}resolvePropertyValue(e,s,r,i,a="",n=!1){if(!n&&typeof e=="string"&&s.components.has(e))return this.buildNodeRecursive(e,s,r,i,a);if(!n&&tr(e)){if(e.explicitList)return e.explicitList.map(o=>this.buildNodeRecursive(o,s,r,i,a));if(e.template){let o=this.resolvePath(e.template.dataBinding,i),d=this.getDataByPath(s.dataModel,o),c=e.template;if(Array.isArray(d))return d.map((u,m)=>{let f=`:${[...i.split("/").filter(v=>/^\d+$/.test(v)),m].join(":")}`,h=`${o}/${m}`;return this.buildNodeRecursive(c.componentId,s,r,h,f)});let l=this.mapCtor;return d instanceof l?Array.from(d.keys(),u=>{let m=`:${u}`,p=`${o}/${u}`;return this.buildNodeRecursive(c.componentId,s,r,p,m)}):new this.arrayCtor}}if(Array.isArray(e))return e.map(o=>this.resolvePropertyValue(o,s,r,i,a,n));if(G(e)){let o=new this.objCtor;for(let[d,c]of Object.entries(e)){let l=c;if(er(d,c)&&i!=="/"){l=c.replace(/^\.?\/item/,"").replace(/^\.?\/text/,"").replace(/^\.?\/label/,"").replace(/^\.?\//,""),o[d]=l;continue}o[d]=this.resolvePropertyValue(l,s,r,i,a,n||d==="action")}return o}return e}};H.DEFAULT_SURFACE_ID="@default";var Ee={};fs(Ee,{appendToAll:()=>Po,createThemeStyles:()=>Mo,merge:()=>Do,structuralStyles:()=>Tr,toProp:()=>me});var Ro=`
  &:not([disabled]) {
    cursor: pointer;
    opacity: var(--opacity, 0);
    transition: opacity var(--speed, 0.2s) cubic-bezier(0, 0, 0.3, 1);

    &:hover,
    &:focus {
      opacity: 1;
    }
  }`,qi=`
  ${new Array(21).fill(0).map((t,e)=>`.behavior-ho-${e*5} {
          --opacity: ${e/20};
          ${Ro}
        }`).join(`
`)}

  .behavior-o-s {
    overflow: scroll;
  }

  .behavior-o-a {
    overflow: auto;
  }

  .behavior-o-h {
    overflow: hidden;
  }

  .behavior-sw-n {
    scrollbar-width: none;
  }
`;var Gi=`
  ${new Array(25).fill(0).map((t,e)=>`
        .border-bw-${e} { border-width: ${e}px; }
        .border-btw-${e} { border-top-width: ${e}px; }
        .border-bbw-${e} { border-bottom-width: ${e}px; }
        .border-blw-${e} { border-left-width: ${e}px; }
        .border-brw-${e} { border-right-width: ${e}px; }

        .border-ow-${e} { outline-width: ${e}px; }
        .border-br-${e} { border-radius: ${e*4}px; overflow: hidden;}`).join(`
`)}

  .border-br-50pc {
    border-radius: 50%;
  }

  .border-bs-s {
    border-style: solid;
  }
`;var Cr=[0,5,10,15,20,25,30,35,40,50,60,70,80,90,95,98,99,100];function Do(...t){let e={};for(let s of t)for(let[r,i]of Object.entries(s)){let a=r.split("-").with(-1,"").join("-"),n=Object.keys(e).filter(o=>o.startsWith(a));for(let o of n)delete e[o];e[r]=i}return e}function Po(t,e,...s){let r=structuredClone(t);for(let i of s)for(let a of Object.keys(i)){let n=a.split("-").with(-1,"").join("-");for(let[o,d]of Object.entries(r)){if(e.includes(o))continue;let c=!1;for(let l=0;l<d.length;l++)d[l].startsWith(n)&&(c=!0,d[l]=a);c||d.push(a)}}return r}function Mo(t){let e={};for(let s of Object.values(t))for(let[r,i]of Object.entries(s)){let a=me(r);e[a]=i}return e}function me(t){return t.startsWith("nv")?`--nv-${t.slice(2)}`:`--${t[0]}-${t.slice(1)}`}var jt=t=>`
    ${t.map(e=>{let s=kr(e);return`.color-bc-${e} { border-color: light-dark(var(${me(e)}), var(${me(s)})); }`}).join(`
`)}

    ${t.map(e=>{let s=kr(e),r=[`.color-bgc-${e} { background-color: light-dark(var(${me(e)}), var(${me(s)})); }`,`.color-bbgc-${e}::backdrop { background-color: light-dark(var(${me(e)}), var(${me(s)})); }`];for(let i=.1;i<1;i+=.1)r.push(`.color-bbgc-${e}_${(i*100).toFixed(0)}::backdrop {
            background-color: light-dark(oklch(from var(${me(e)}) l c h / calc(alpha * ${i.toFixed(1)})), oklch(from var(${me(s)}) l c h / calc(alpha * ${i.toFixed(1)})) );
          }
        `);return r.join(`
`)}).join(`
`)}

  ${t.map(e=>{let s=kr(e);return`.color-c-${e} { color: light-dark(var(${me(e)}), var(${me(s)})); }`}).join(`
`)}
  `,kr=t=>{let e=t.match(/^([a-z]+)(\d+)$/);if(!e)return t;let[,s,r]=e,a=100-parseInt(r,10),n=Cr.reduce((o,d)=>Math.abs(d-a)<Math.abs(o-a)?d:o);return`${s}${n}`},Rt=t=>Cr.map(e=>`${t}${e}`),Ki=[jt(Rt("p")),jt(Rt("s")),jt(Rt("t")),jt(Rt("n")),jt(Rt("nv")),jt(Rt("e")),`
    .color-bgc-transparent {
      background-color: transparent;
    }

    :host {
      color-scheme: var(--color-scheme);
    }
  `];var Yi=`
  .g-icon {
    font-family: "Material Symbols Outlined", "Google Symbols";
    font-weight: normal;
    font-style: normal;
    font-display: optional;
    font-size: 24px;
    width: 1em;
    height: 1em;
    user-select: none;
    line-height: 1;
    letter-spacing: normal;
    text-transform: none;
    display: inline-block;
    white-space: nowrap;
    word-wrap: normal;
    direction: ltr;
    font-feature-settings: "liga";
    -webkit-font-feature-settings: "liga";
    -webkit-font-smoothing: antialiased;
    text-rendering: optimizeLegibility;
    -moz-osx-font-smoothing: grayscale;
    overflow: hidden;

    font-variation-settings: "FILL" 0, "wght" 300, "GRAD" 0, "opsz" 48,
      "ROND" 100;

    &.filled {
      font-variation-settings: "FILL" 1, "wght" 300, "GRAD" 0, "opsz" 48,
        "ROND" 100;
    }

    &.filled-heavy {
      font-variation-settings: "FILL" 1, "wght" 700, "GRAD" 0, "opsz" 48,
        "ROND" 100;
    }
  }
`;var Ji=`
  :host {
    ${new Array(16).fill(0).map((t,e)=>`--g-${e+1}: ${(e+1)*4}px;`).join(`
`)}
  }

  ${new Array(49).fill(0).map((t,e)=>{let s=e-24,r=s<0?`n${Math.abs(s)}`:s.toString();return`
        .layout-p-${r} { --padding: ${s*4}px; padding: var(--padding); }
        .layout-pt-${r} { padding-top: ${s*4}px; }
        .layout-pr-${r} { padding-right: ${s*4}px; }
        .layout-pb-${r} { padding-bottom: ${s*4}px; }
        .layout-pl-${r} { padding-left: ${s*4}px; }

        .layout-m-${r} { --margin: ${s*4}px; margin: var(--margin); }
        .layout-mt-${r} { margin-top: ${s*4}px; }
        .layout-mr-${r} { margin-right: ${s*4}px; }
        .layout-mb-${r} { margin-bottom: ${s*4}px; }
        .layout-ml-${r} { margin-left: ${s*4}px; }

        .layout-t-${r} { top: ${s*4}px; }
        .layout-r-${r} { right: ${s*4}px; }
        .layout-b-${r} { bottom: ${s*4}px; }
        .layout-l-${r} { left: ${s*4}px; }`}).join(`
`)}

  ${new Array(25).fill(0).map((t,e)=>`
        .layout-g-${e} { gap: ${e*4}px; }`).join(`
`)}

  ${new Array(8).fill(0).map((t,e)=>`
        .layout-grd-col${e+1} { grid-template-columns: ${"1fr ".repeat(e+1).trim()}; }`).join(`
`)}

  .layout-pos-a {
    position: absolute;
  }

  .layout-pos-rel {
    position: relative;
  }

  .layout-dsp-none {
    display: none;
  }

  .layout-dsp-block {
    display: block;
  }

  .layout-dsp-grid {
    display: grid;
  }

  .layout-dsp-iflex {
    display: inline-flex;
  }

  .layout-dsp-flexvert {
    display: flex;
    flex-direction: column;
  }

  .layout-dsp-flexhor {
    display: flex;
    flex-direction: row;
  }

  .layout-fw-w {
    flex-wrap: wrap;
  }

  .layout-al-fs {
    align-items: start;
  }

  .layout-al-fe {
    align-items: end;
  }

  .layout-al-c {
    align-items: center;
  }

  .layout-as-n {
    align-self: normal;
  }

  .layout-js-c {
    justify-self: center;
  }

  .layout-sp-c {
    justify-content: center;
  }

  .layout-sp-ev {
    justify-content: space-evenly;
  }

  .layout-sp-bt {
    justify-content: space-between;
  }

  .layout-sp-s {
    justify-content: start;
  }

  .layout-sp-e {
    justify-content: end;
  }

  .layout-ji-e {
    justify-items: end;
  }

  .layout-r-none {
    resize: none;
  }

  .layout-fs-c {
    field-sizing: content;
  }

  .layout-fs-n {
    field-sizing: none;
  }

  .layout-flx-0 {
    flex: 0 0 auto;
  }

  .layout-flx-1 {
    flex: 1 0 auto;
  }

  .layout-c-s {
    contain: strict;
  }

  /** Widths **/

  ${new Array(10).fill(0).map((t,e)=>{let s=(e+1)*10;return`.layout-w-${s} { width: ${s}%; max-width: ${s}%; }`}).join(`
`)}

  ${new Array(16).fill(0).map((t,e)=>{let s=e*4;return`.layout-wp-${e} { width: ${s}px; }`}).join(`
`)}

  /** Heights **/

  ${new Array(10).fill(0).map((t,e)=>{let s=(e+1)*10;return`.layout-h-${s} { height: ${s}%; }`}).join(`
`)}

  ${new Array(16).fill(0).map((t,e)=>{let s=e*4;return`.layout-hp-${e} { height: ${s}px; }`}).join(`
`)}

  .layout-el-cv {
    & img,
    & video {
      width: 100%;
      height: 100%;
      object-fit: cover;
      margin: 0;
    }
  }

  .layout-ar-sq {
    aspect-ratio: 1 / 1;
  }

  .layout-ex-fb {
    margin: calc(var(--padding) * -1) 0 0 calc(var(--padding) * -1);
    width: calc(100% + var(--padding) * 2);
    height: calc(100% + var(--padding) * 2);
  }
`;var Xi=`
  ${new Array(21).fill(0).map((t,e)=>`.opacity-el-${e*5} { opacity: ${e/20}; }`).join(`
`)}
`;var Qi=`
  :host {
    --default-font-family: "Helvetica Neue", Helvetica, Arial, sans-serif;
    --default-font-family-mono: "Courier New", Courier, monospace;
  }

  .typography-f-s {
    font-family: var(--font-family, var(--default-font-family));
    font-optical-sizing: auto;
    font-variation-settings: "slnt" 0, "wdth" 100, "GRAD" 0;
  }

  .typography-f-sf {
    font-family: var(--font-family-flex, var(--default-font-family));
    font-optical-sizing: auto;
  }

  .typography-f-c {
    font-family: var(--font-family-mono, var(--default-font-family));
    font-optical-sizing: auto;
    font-variation-settings: "slnt" 0, "wdth" 100, "GRAD" 0;
  }

  .typography-v-r {
    font-variation-settings: "slnt" 0, "wdth" 100, "GRAD" 0, "ROND" 100;
  }

  .typography-ta-s {
    text-align: start;
  }

  .typography-ta-c {
    text-align: center;
  }

  .typography-fs-n {
    font-style: normal;
  }

  .typography-fs-i {
    font-style: italic;
  }

  .typography-sz-ls {
    font-size: 11px;
    line-height: 16px;
  }

  .typography-sz-lm {
    font-size: 12px;
    line-height: 16px;
  }

  .typography-sz-ll {
    font-size: 14px;
    line-height: 20px;
  }

  .typography-sz-bs {
    font-size: 12px;
    line-height: 16px;
  }

  .typography-sz-bm {
    font-size: 14px;
    line-height: 20px;
  }

  .typography-sz-bl {
    font-size: 16px;
    line-height: 24px;
  }

  .typography-sz-ts {
    font-size: 14px;
    line-height: 20px;
  }

  .typography-sz-tm {
    font-size: 16px;
    line-height: 24px;
  }

  .typography-sz-tl {
    font-size: 22px;
    line-height: 28px;
  }

  .typography-sz-hs {
    font-size: 24px;
    line-height: 32px;
  }

  .typography-sz-hm {
    font-size: 28px;
    line-height: 36px;
  }

  .typography-sz-hl {
    font-size: 32px;
    line-height: 40px;
  }

  .typography-sz-ds {
    font-size: 36px;
    line-height: 44px;
  }

  .typography-sz-dm {
    font-size: 45px;
    line-height: 52px;
  }

  .typography-sz-dl {
    font-size: 57px;
    line-height: 64px;
  }

  .typography-ws-p {
    white-space: pre-line;
  }

  .typography-ws-nw {
    white-space: nowrap;
  }

  .typography-td-none {
    text-decoration: none;
  }

  /** Weights **/

  ${new Array(9).fill(0).map((t,e)=>{let s=(e+1)*100;return`.typography-w-${s} { font-weight: ${s}; }`}).join(`
`)}
`;var Tr=[qi,Gi,Ki,Yi,Ji,Xi,Qi].flat(1/0).join(`
`);var No=Object.defineProperty,zo=(t,e,s)=>e in t?No(t,e,{enumerable:!0,configurable:!0,writable:!0,value:s}):t[e]=s,Er=(t,e,s)=>(zo(t,typeof e!="symbol"?e+"":e,s),s),Vo=(t,e,s)=>{if(!e.has(t))throw TypeError("Cannot "+s)},Ar=(t,e)=>{if(Object(e)!==e)throw TypeError('Cannot use the "in" operator on this value');return t.has(e)},Cs=(t,e,s)=>{if(e.has(t))throw TypeError("Cannot add the same private member more than once");e instanceof WeakSet?e.add(t):e.set(t,s)},ea=(t,e,s)=>(Vo(t,e,"access private method"),s);function ta(t,e){return Object.is(t,e)}var te=null,Ft=!1,ks=1,Ts=Symbol("SIGNAL");function Dt(t){let e=te;return te=t,e}function Uo(){return te}function Lo(){return Ft}var Dr={version:0,lastCleanEpoch:0,dirty:!1,producerNode:void 0,producerLastReadVersion:void 0,producerIndexOfThis:void 0,nextProducerIndex:0,liveConsumerNode:void 0,liveConsumerIndexOfThis:void 0,consumerAllowSignalWrites:!1,consumerIsAlwaysLive:!1,producerMustRecompute:()=>!1,producerRecomputeValue:()=>{},consumerMarkedDirty:()=>{},consumerOnSignalRead:()=>{}};function Es(t){if(Ft)throw new Error(typeof ngDevMode<"u"&&ngDevMode?"Assertion error: signal read during notification phase":"");if(te===null)return;te.consumerOnSignalRead(t);let e=te.nextProducerIndex++;if(Pt(te),e<te.producerNode.length&&te.producerNode[e]!==t&&jr(te)){let s=te.producerNode[e];As(s,te.producerIndexOfThis[e])}te.producerNode[e]!==t&&(te.producerNode[e]=t,te.producerIndexOfThis[e]=jr(te)?ia(t,te,e):0),te.producerLastReadVersion[e]=t.version}function Fo(){ks++}function sa(t){if(!(!t.dirty&&t.lastCleanEpoch===ks)){if(!t.producerMustRecompute(t)&&!qo(t)){t.dirty=!1,t.lastCleanEpoch=ks;return}t.producerRecomputeValue(t),t.dirty=!1,t.lastCleanEpoch=ks}}function ra(t){if(t.liveConsumerNode===void 0)return;let e=Ft;Ft=!0;try{for(let s of t.liveConsumerNode)s.dirty||Wo(s)}finally{Ft=e}}function Bo(){return te?.consumerAllowSignalWrites!==!1}function Wo(t){var e;t.dirty=!0,ra(t),(e=t.consumerMarkedDirty)==null||e.call(t.wrapper??t)}function Ho(t){return t&&(t.nextProducerIndex=0),Dt(t)}function Zo(t,e){if(Dt(e),!(!t||t.producerNode===void 0||t.producerIndexOfThis===void 0||t.producerLastReadVersion===void 0)){if(jr(t))for(let s=t.nextProducerIndex;s<t.producerNode.length;s++)As(t.producerNode[s],t.producerIndexOfThis[s]);for(;t.producerNode.length>t.nextProducerIndex;)t.producerNode.pop(),t.producerLastReadVersion.pop(),t.producerIndexOfThis.pop()}}function qo(t){Pt(t);for(let e=0;e<t.producerNode.length;e++){let s=t.producerNode[e],r=t.producerLastReadVersion[e];if(r!==s.version||(sa(s),r!==s.version))return!0}return!1}function ia(t,e,s){var r;if(Pr(t),Pt(t),t.liveConsumerNode.length===0){(r=t.watched)==null||r.call(t.wrapper);for(let i=0;i<t.producerNode.length;i++)t.producerIndexOfThis[i]=ia(t.producerNode[i],t,i)}return t.liveConsumerIndexOfThis.push(s),t.liveConsumerNode.push(e)-1}function As(t,e){var s;if(Pr(t),Pt(t),typeof ngDevMode<"u"&&ngDevMode&&e>=t.liveConsumerNode.length)throw new Error(`Assertion error: active consumer index ${e} is out of bounds of ${t.liveConsumerNode.length} consumers)`);if(t.liveConsumerNode.length===1){(s=t.unwatched)==null||s.call(t.wrapper);for(let i=0;i<t.producerNode.length;i++)As(t.producerNode[i],t.producerIndexOfThis[i])}let r=t.liveConsumerNode.length-1;if(t.liveConsumerNode[e]=t.liveConsumerNode[r],t.liveConsumerIndexOfThis[e]=t.liveConsumerIndexOfThis[r],t.liveConsumerNode.length--,t.liveConsumerIndexOfThis.length--,e<t.liveConsumerNode.length){let i=t.liveConsumerIndexOfThis[e],a=t.liveConsumerNode[e];Pt(a),a.producerIndexOfThis[i]=e}}function jr(t){var e;return t.consumerIsAlwaysLive||(((e=t?.liveConsumerNode)==null?void 0:e.length)??0)>0}function Pt(t){t.producerNode??(t.producerNode=[]),t.producerIndexOfThis??(t.producerIndexOfThis=[]),t.producerLastReadVersion??(t.producerLastReadVersion=[])}function Pr(t){t.liveConsumerNode??(t.liveConsumerNode=[]),t.liveConsumerIndexOfThis??(t.liveConsumerIndexOfThis=[])}function aa(t){if(sa(t),Es(t),t.value===Rr)throw t.error;return t.value}function Go(t){let e=Object.create(Ko);e.computation=t;let s=()=>aa(e);return s[Ts]=e,s}var Ir=Symbol("UNSET"),Or=Symbol("COMPUTING"),Rr=Symbol("ERRORED"),Ko={...Dr,value:Ir,dirty:!0,error:null,equal:ta,producerMustRecompute(t){return t.value===Ir||t.value===Or},producerRecomputeValue(t){if(t.value===Or)throw new Error("Detected cycle in computations.");let e=t.value;t.value=Or;let s=Ho(t),r,i=!1;try{r=t.computation.call(t.wrapper),i=e!==Ir&&e!==Rr&&t.equal.call(t.wrapper,e,r)}catch(a){r=Rr,t.error=a}finally{Zo(t,s)}if(i){t.value=e;return}t.value=r,t.version++}};function Yo(){throw new Error}var Jo=Yo;function Xo(){Jo()}function Qo(t){let e=Object.create(sl);e.value=t;let s=()=>(Es(e),e.value);return s[Ts]=e,s}function el(){return Es(this),this.value}function tl(t,e){Bo()||Xo(),t.equal.call(t.wrapper,t.value,e)||(t.value=e,rl(t))}var sl={...Dr,equal:ta,value:void 0};function rl(t){t.version++,Fo(),ra(t)}var ne=Symbol("node"),Y;(t=>{var e,s,r,i,a,n;class o{constructor(l,u={}){Cs(this,s),Er(this,e);let p=Qo(l)[Ts];if(this[ne]=p,p.wrapper=this,u){let g=u.equals;g&&(p.equal=g),p.watched=u[t.subtle.watched],p.unwatched=u[t.subtle.unwatched]}}get(){if(!(0,t.isState)(this))throw new TypeError("Wrong receiver type for Signal.State.prototype.get");return el.call(this[ne])}set(l){if(!(0,t.isState)(this))throw new TypeError("Wrong receiver type for Signal.State.prototype.set");if(Lo())throw new Error("Writes to signals not permitted during Watcher callback");let u=this[ne];tl(u,l)}}e=ne,s=new WeakSet,r=function(){},t.isState=c=>typeof c=="object"&&Ar(s,c),t.State=o;class d{constructor(l,u){Cs(this,a),Er(this,i);let p=Go(l)[Ts];if(p.consumerAllowSignalWrites=!0,this[ne]=p,p.wrapper=this,u){let g=u.equals;g&&(p.equal=g),p.watched=u[t.subtle.watched],p.unwatched=u[t.subtle.unwatched]}}get(){if(!(0,t.isComputed)(this))throw new TypeError("Wrong receiver type for Signal.Computed.prototype.get");return aa(this[ne])}}i=ne,a=new WeakSet,n=function(){},t.isComputed=c=>typeof c=="object"&&Ar(a,c),t.Computed=d,(c=>{var l,u,m,p,g;function f(K){let q,M=null;try{M=Dt(null),q=K()}finally{Dt(M)}return q}c.untrack=f;function h(K){var q;if(!(0,t.isComputed)(K)&&!(0,t.isWatcher)(K))throw new TypeError("Called introspectSources without a Computed or Watcher argument");return((q=K[ne].producerNode)==null?void 0:q.map(M=>M.wrapper))??[]}c.introspectSources=h;function v(K){var q;if(!(0,t.isComputed)(K)&&!(0,t.isState)(K))throw new TypeError("Called introspectSinks without a Signal argument");return((q=K[ne].liveConsumerNode)==null?void 0:q.map(M=>M.wrapper))??[]}c.introspectSinks=v;function b(K){if(!(0,t.isComputed)(K)&&!(0,t.isState)(K))throw new TypeError("Called hasSinks without a Signal argument");let q=K[ne].liveConsumerNode;return q?q.length>0:!1}c.hasSinks=b;function _(K){if(!(0,t.isComputed)(K)&&!(0,t.isWatcher)(K))throw new TypeError("Called hasSources without a Computed or Watcher argument");let q=K[ne].producerNode;return q?q.length>0:!1}c.hasSources=_;class C{constructor(q){Cs(this,u),Cs(this,p),Er(this,l);let M=Object.create(Dr);M.wrapper=this,M.consumerMarkedDirty=q,M.consumerIsAlwaysLive=!0,M.consumerAllowSignalWrites=!1,M.producerNode=[],this[ne]=M}watch(...q){if(!(0,t.isWatcher)(this))throw new TypeError("Called unwatch without Watcher receiver");ea(this,p,g).call(this,q);let M=this[ne];M.dirty=!1;let X=Dt(M);for(let $e of q)Es($e[ne]);Dt(X)}unwatch(...q){if(!(0,t.isWatcher)(this))throw new TypeError("Called unwatch without Watcher receiver");ea(this,p,g).call(this,q);let M=this[ne];Pt(M);for(let X=M.producerNode.length-1;X>=0;X--)if(q.includes(M.producerNode[X].wrapper)){As(M.producerNode[X],M.producerIndexOfThis[X]);let $e=M.producerNode.length-1;if(M.producerNode[X]=M.producerNode[$e],M.producerIndexOfThis[X]=M.producerIndexOfThis[$e],M.producerNode.length--,M.producerIndexOfThis.length--,M.nextProducerIndex--,X<M.producerNode.length){let N=M.producerIndexOfThis[X],j=M.producerNode[X];Pr(j),j.liveConsumerIndexOfThis[N]=X}}}getPending(){if(!(0,t.isWatcher)(this))throw new TypeError("Called getPending without Watcher receiver");return this[ne].producerNode.filter(M=>M.dirty).map(M=>M.wrapper)}}l=ne,u=new WeakSet,m=function(){},p=new WeakSet,g=function(K){for(let q of K)if(!(0,t.isComputed)(q)&&!(0,t.isState)(q))throw new TypeError("Called watch/unwatch without a Computed or State argument")},t.isWatcher=K=>Ar(u,K),c.Watcher=C;function fe(){var K;return(K=Uo())==null?void 0:K.wrapper}c.currentComputed=fe,c.watched=Symbol("watched"),c.unwatched=Symbol("unwatched")})(t.subtle||(t.subtle={}))})(Y||(Y={}));var be=(t=null)=>new Y.State(t,{equals:()=>!1});var il=new Set([Symbol.iterator,"concat","entries","every","filter","find","findIndex","flat","flatMap","forEach","includes","indexOf","join","keys","lastIndexOf","map","reduce","reduceRight","slice","some","values"]),al=new Set(["fill","push","unshift"]);function na(t){if(typeof t=="symbol")return null;let e=Number(t);return isNaN(e)?null:e%1===0?e:null}var Bt=class t{static from(e,s,r){return s?new t(Array.from(e,s,r)):new t(Array.from(e))}static of(...e){return new t(e)}constructor(e=[]){let s=e.slice(),r=this,i=new Map,a=!1;return new Proxy(s,{get(n,o){let d=na(o);if(d!==null)return r.#r(d),r.#e.get(),n[d];if(o==="length")return a?a=!1:r.#e.get(),n[o];if(al.has(o)&&(a=!0),il.has(o)){let c=i.get(o);return c===void 0&&(c=(...l)=>(r.#e.get(),n[o](...l)),i.set(o,c)),c}return n[o]},set(n,o,d){n[o]=d;let c=na(o);return c!==null?(r.#s(c),r.#e.set(null)):o==="length"&&r.#e.set(null),!0},getPrototypeOf(){return t.prototype}})}#e=be();#t=new Map;#r(e){let s=this.#t.get(e);s===void 0&&(s=be(),this.#t.set(e,s)),s.get()}#s(e){let s=this.#t.get(e);s&&s.set(null)}};Object.setPrototypeOf(Bt.prototype,Array.prototype);var Wt=class{collection=be();storages=new Map;vals;readStorageFor(e){let{storages:s}=this,r=s.get(e);r===void 0&&(r=be(),s.set(e,r)),r.get()}dirtyStorageFor(e){let s=this.storages.get(e);s&&s.set(null)}constructor(e){this.vals=e?new Map(e):new Map}get(e){return this.readStorageFor(e),this.vals.get(e)}has(e){return this.readStorageFor(e),this.vals.has(e)}entries(){return this.collection.get(),this.vals.entries()}keys(){return this.collection.get(),this.vals.keys()}values(){return this.collection.get(),this.vals.values()}forEach(e){this.collection.get(),this.vals.forEach(e)}get size(){return this.collection.get(),this.vals.size}[Symbol.iterator](){return this.collection.get(),this.vals[Symbol.iterator]()}get[Symbol.toStringTag](){return this.vals[Symbol.toStringTag]}set(e,s){return this.dirtyStorageFor(e),this.collection.set(null),this.vals.set(e,s),this}delete(e){return this.dirtyStorageFor(e),this.collection.set(null),this.vals.delete(e)}clear(){this.storages.forEach(e=>e.set(null)),this.collection.set(null),this.vals.clear()}};Object.setPrototypeOf(Wt.prototype,Map.prototype);var Mr=class t{static fromEntries(e){return new t(Object.fromEntries(e))}#e=new Map;#t=be();constructor(e={}){let s=Object.getPrototypeOf(e),r=Object.getOwnPropertyDescriptors(e),i=Object.create(s);for(let n in r)Object.defineProperty(i,n,r[n]);let a=this;return new Proxy(i,{get(n,o,d){return a.#r(o),Reflect.get(n,o,d)},has(n,o){return a.#r(o),o in n},ownKeys(n){return a.#t.get(),Reflect.ownKeys(n)},set(n,o,d,c){let l=Reflect.set(n,o,d,c);return a.#s(o),a.#i(),l},deleteProperty(n,o){return o in n&&(delete n[o],a.#s(o),a.#i()),!0},getPrototypeOf(){return t.prototype}})}#r(e){let s=this.#e.get(e);s===void 0&&(s=be(),this.#e.set(e,s)),s.get()}#s(e){let s=this.#e.get(e);s&&s.set(null)}#i(){this.#t.set(null)}},oa=Mr;var Ht=class{collection=be();storages=new Map;vals;storageFor(e){let s=this.storages,r=s.get(e);return r===void 0&&(r=be(),s.set(e,r)),r}dirtyStorageFor(e){let s=this.storages.get(e);s&&s.set(null)}constructor(e){this.vals=new Set(e)}has(e){return this.storageFor(e).get(),this.vals.has(e)}entries(){return this.collection.get(),this.vals.entries()}keys(){return this.collection.get(),this.vals.keys()}values(){return this.collection.get(),this.vals.values()}forEach(e){this.collection.get(),this.vals.forEach(e)}get size(){return this.collection.get(),this.vals.size}[Symbol.iterator](){return this.collection.get(),this.vals[Symbol.iterator]()}get[Symbol.toStringTag](){return this.vals[Symbol.toStringTag]}add(e){return this.dirtyStorageFor(e),this.collection.set(null),this.vals.add(e),this}delete(e){return this.dirtyStorageFor(e),this.collection.set(null),this.vals.delete(e)}clear(){this.storages.forEach(e=>e.set(null)),this.collection.set(null),this.vals.clear()}};Object.setPrototypeOf(Ht.prototype,Set.prototype);function la(){return new H({arrayCtor:Bt,mapCtor:Wt,objCtor:oa,setCtor:Ht})}var ca={createSignalA2uiMessageProcessor:la,A2uiMessageProcessor:H,Guards:br};var Is=globalThis,Os=Is.ShadowRoot&&(Is.ShadyCSS===void 0||Is.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Nr=Symbol(),ua=new WeakMap,Zt=class{constructor(e,s,r){if(this._$cssResult$=!0,r!==Nr)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=s}get styleSheet(){let e=this.o,s=this.t;if(Os&&e===void 0){let r=s!==void 0&&s.length===1;r&&(e=ua.get(s)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),r&&ua.set(s,e))}return e}toString(){return this.cssText}},da=t=>new Zt(typeof t=="string"?t:t+"",void 0,Nr),V=(t,...e)=>{let s=t.length===1?t[0]:e.reduce((r,i,a)=>r+(n=>{if(n._$cssResult$===!0)return n.cssText;if(typeof n=="number")return n;throw Error("Value passed to 'css' function must be a 'css' function result: "+n+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(i)+t[a+1],t[0]);return new Zt(s,t,Nr)},ha=(t,e)=>{if(Os)t.adoptedStyleSheets=e.map(s=>s instanceof CSSStyleSheet?s:s.styleSheet);else for(let s of e){let r=document.createElement("style"),i=Is.litNonce;i!==void 0&&r.setAttribute("nonce",i),r.textContent=s.cssText,t.appendChild(r)}},zr=Os?t=>t:t=>t instanceof CSSStyleSheet?(e=>{let s="";for(let r of e.cssRules)s+=r.cssText;return da(s)})(t):t;var{is:nl,defineProperty:ol,getOwnPropertyDescriptor:ll,getOwnPropertyNames:cl,getOwnPropertySymbols:ul,getPrototypeOf:dl}=Object,js=globalThis,pa=js.trustedTypes,hl=pa?pa.emptyScript:"",pl=js.reactiveElementPolyfillSupport,qt=(t,e)=>t,Gt={toAttribute(t,e){switch(e){case Boolean:t=t?hl:null;break;case Object:case Array:t=t==null?t:JSON.stringify(t)}return t},fromAttribute(t,e){let s=t;switch(e){case Boolean:s=t!==null;break;case Number:s=t===null?null:Number(t);break;case Object:case Array:try{s=JSON.parse(t)}catch{s=null}}return s}},Rs=(t,e)=>!nl(t,e),fa={attribute:!0,type:String,converter:Gt,reflect:!1,useDefault:!1,hasChanged:Rs};Symbol.metadata??=Symbol("metadata"),js.litPropertyMetadata??=new WeakMap;var Me=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,s=fa){if(s.state&&(s.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((s=Object.create(s)).wrapped=!0),this.elementProperties.set(e,s),!s.noAccessor){let r=Symbol(),i=this.getPropertyDescriptor(e,r,s);i!==void 0&&ol(this.prototype,e,i)}}static getPropertyDescriptor(e,s,r){let{get:i,set:a}=ll(this.prototype,e)??{get(){return this[s]},set(n){this[s]=n}};return{get:i,set(n){let o=i?.call(this);a?.call(this,n),this.requestUpdate(e,o,r)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??fa}static _$Ei(){if(this.hasOwnProperty(qt("elementProperties")))return;let e=dl(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(qt("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(qt("properties"))){let s=this.properties,r=[...cl(s),...ul(s)];for(let i of r)this.createProperty(i,s[i])}let e=this[Symbol.metadata];if(e!==null){let s=litPropertyMetadata.get(e);if(s!==void 0)for(let[r,i]of s)this.elementProperties.set(r,i)}this._$Eh=new Map;for(let[s,r]of this.elementProperties){let i=this._$Eu(s,r);i!==void 0&&this._$Eh.set(i,s)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let s=[];if(Array.isArray(e)){let r=new Set(e.flat(1/0).reverse());for(let i of r)s.unshift(zr(i))}else e!==void 0&&s.push(zr(e));return s}static _$Eu(e,s){let r=s.attribute;return r===!1?void 0:typeof r=="string"?r:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,s=this.constructor.elementProperties;for(let r of s.keys())this.hasOwnProperty(r)&&(e.set(r,this[r]),delete this[r]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ha(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,s,r){this._$AK(e,r)}_$ET(e,s){let r=this.constructor.elementProperties.get(e),i=this.constructor._$Eu(e,r);if(i!==void 0&&r.reflect===!0){let a=(r.converter?.toAttribute!==void 0?r.converter:Gt).toAttribute(s,r.type);this._$Em=e,a==null?this.removeAttribute(i):this.setAttribute(i,a),this._$Em=null}}_$AK(e,s){let r=this.constructor,i=r._$Eh.get(e);if(i!==void 0&&this._$Em!==i){let a=r.getPropertyOptions(i),n=typeof a.converter=="function"?{fromAttribute:a.converter}:a.converter?.fromAttribute!==void 0?a.converter:Gt;this._$Em=i;let o=n.fromAttribute(s,a.type);this[i]=o??this._$Ej?.get(i)??o,this._$Em=null}}requestUpdate(e,s,r,i=!1,a){if(e!==void 0){let n=this.constructor;if(i===!1&&(a=this[e]),r??=n.getPropertyOptions(e),!((r.hasChanged??Rs)(a,s)||r.useDefault&&r.reflect&&a===this._$Ej?.get(e)&&!this.hasAttribute(n._$Eu(e,r))))return;this.C(e,s,r)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,s,{useDefault:r,reflect:i,wrapped:a},n){r&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,n??s??this[e]),a!==!0||n!==void 0)||(this._$AL.has(e)||(this.hasUpdated||r||(s=void 0),this._$AL.set(e,s)),i===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(s){Promise.reject(s)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,a]of this._$Ep)this[i]=a;this._$Ep=void 0}let r=this.constructor.elementProperties;if(r.size>0)for(let[i,a]of r){let{wrapped:n}=a,o=this[i];n!==!0||this._$AL.has(i)||o===void 0||this.C(i,void 0,a,o)}}let e=!1,s=this._$AL;try{e=this.shouldUpdate(s),e?(this.willUpdate(s),this._$EO?.forEach(r=>r.hostUpdate?.()),this.update(s)):this._$EM()}catch(r){throw e=!1,this._$EM(),r}e&&this._$AE(s)}willUpdate(e){}_$AE(e){this._$EO?.forEach(s=>s.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(s=>this._$ET(s,this[s])),this._$EM()}updated(e){}firstUpdated(e){}};Me.elementStyles=[],Me.shadowRootOptions={mode:"open"},Me[qt("elementProperties")]=new Map,Me[qt("finalized")]=new Map,pl?.({ReactiveElement:Me}),(js.reactiveElementVersions??=[]).push("2.1.2");var Ur=globalThis,ma=t=>t,Ds=Ur.trustedTypes,ga=Ds?Ds.createPolicy("lit-html",{createHTML:t=>t}):void 0,Lr="$lit$",Ne=`lit$${Math.random().toFixed(9).slice(2)}$`,Fr="?"+Ne,fl=`<${Fr}>`,gt=document,Yt=()=>gt.createComment(""),Jt=t=>t===null||typeof t!="object"&&typeof t!="function",Br=Array.isArray,wa=t=>Br(t)||typeof t?.[Symbol.iterator]=="function",Vr=`[ 	
\f\r]`,Kt=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,ya=/-->/g,va=/>/g,ft=RegExp(`>|${Vr}(?:([^\\s"'>=/]+)(${Vr}*=${Vr}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),_a=/'/g,ba=/"/g,$a=/^(?:script|style|textarea|title)$/i,Wr=t=>(e,...s)=>({_$litType$:t,strings:e,values:s}),w=Wr(1),Sa=Wr(2),Bu=Wr(3),se=Symbol.for("lit-noChange"),S=Symbol.for("lit-nothing"),xa=new WeakMap,mt=gt.createTreeWalker(gt,129);function Ca(t,e){if(!Br(t)||!t.hasOwnProperty("raw"))throw Error("invalid template strings array");return ga!==void 0?ga.createHTML(e):e}var ka=(t,e)=>{let s=t.length-1,r=[],i,a=e===2?"<svg>":e===3?"<math>":"",n=Kt;for(let o=0;o<s;o++){let d=t[o],c,l,u=-1,m=0;for(;m<d.length&&(n.lastIndex=m,l=n.exec(d),l!==null);)m=n.lastIndex,n===Kt?l[1]==="!--"?n=ya:l[1]!==void 0?n=va:l[2]!==void 0?($a.test(l[2])&&(i=RegExp("</"+l[2],"g")),n=ft):l[3]!==void 0&&(n=ft):n===ft?l[0]===">"?(n=i??Kt,u=-1):l[1]===void 0?u=-2:(u=n.lastIndex-l[2].length,c=l[1],n=l[3]===void 0?ft:l[3]==='"'?ba:_a):n===ba||n===_a?n=ft:n===ya||n===va?n=Kt:(n=ft,i=void 0);let p=n===ft&&t[o+1].startsWith("/>")?" ":"";a+=n===Kt?d+fl:u>=0?(r.push(c),d.slice(0,u)+Lr+d.slice(u)+Ne+p):d+Ne+(u===-2?o:p)}return[Ca(t,a+(t[s]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),r]},Xt=class t{constructor({strings:e,_$litType$:s},r){let i;this.parts=[];let a=0,n=0,o=e.length-1,d=this.parts,[c,l]=ka(e,s);if(this.el=t.createElement(c,r),mt.currentNode=this.el.content,s===2||s===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(i=mt.nextNode())!==null&&d.length<o;){if(i.nodeType===1){if(i.hasAttributes())for(let u of i.getAttributeNames())if(u.endsWith(Lr)){let m=l[n++],p=i.getAttribute(u).split(Ne),g=/([.?@])?(.*)/.exec(m);d.push({type:1,index:a,name:g[2],strings:p,ctor:g[1]==="."?Ms:g[1]==="?"?Ns:g[1]==="@"?zs:vt}),i.removeAttribute(u)}else u.startsWith(Ne)&&(d.push({type:6,index:a}),i.removeAttribute(u));if($a.test(i.tagName)){let u=i.textContent.split(Ne),m=u.length-1;if(m>0){i.textContent=Ds?Ds.emptyScript:"";for(let p=0;p<m;p++)i.append(u[p],Yt()),mt.nextNode(),d.push({type:2,index:++a});i.append(u[m],Yt())}}}else if(i.nodeType===8)if(i.data===Fr)d.push({type:2,index:a});else{let u=-1;for(;(u=i.data.indexOf(Ne,u+1))!==-1;)d.push({type:7,index:a}),u+=Ne.length-1}a++}}static createElement(e,s){let r=gt.createElement("template");return r.innerHTML=e,r}};function yt(t,e,s=t,r){if(e===se)return e;let i=r!==void 0?s._$Co?.[r]:s._$Cl,a=Jt(e)?void 0:e._$litDirective$;return i?.constructor!==a&&(i?._$AO?.(!1),a===void 0?i=void 0:(i=new a(t),i._$AT(t,s,r)),r!==void 0?(s._$Co??=[])[r]=i:s._$Cl=i),i!==void 0&&(e=yt(t,i._$AS(t,e.values),i,r)),e}var Ps=class{constructor(e,s){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=s}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:s},parts:r}=this._$AD,i=(e?.creationScope??gt).importNode(s,!0);mt.currentNode=i;let a=mt.nextNode(),n=0,o=0,d=r[0];for(;d!==void 0;){if(n===d.index){let c;d.type===2?c=new Mt(a,a.nextSibling,this,e):d.type===1?c=new d.ctor(a,d.name,d.strings,this,e):d.type===6&&(c=new Vs(a,this,e)),this._$AV.push(c),d=r[++o]}n!==d?.index&&(a=mt.nextNode(),n++)}return mt.currentNode=gt,i}p(e){let s=0;for(let r of this._$AV)r!==void 0&&(r.strings!==void 0?(r._$AI(e,r,s),s+=r.strings.length-2):r._$AI(e[s])),s++}},Mt=class t{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,s,r,i){this.type=2,this._$AH=S,this._$AN=void 0,this._$AA=e,this._$AB=s,this._$AM=r,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,s=this._$AM;return s!==void 0&&e?.nodeType===11&&(e=s.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,s=this){e=yt(this,e,s),Jt(e)?e===S||e==null||e===""?(this._$AH!==S&&this._$AR(),this._$AH=S):e!==this._$AH&&e!==se&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):wa(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==S&&Jt(this._$AH)?this._$AA.nextSibling.data=e:this.T(gt.createTextNode(e)),this._$AH=e}$(e){let{values:s,_$litType$:r}=e,i=typeof r=="number"?this._$AC(e):(r.el===void 0&&(r.el=Xt.createElement(Ca(r.h,r.h[0]),this.options)),r);if(this._$AH?._$AD===i)this._$AH.p(s);else{let a=new Ps(i,this),n=a.u(this.options);a.p(s),this.T(n),this._$AH=a}}_$AC(e){let s=xa.get(e.strings);return s===void 0&&xa.set(e.strings,s=new Xt(e)),s}k(e){Br(this._$AH)||(this._$AH=[],this._$AR());let s=this._$AH,r,i=0;for(let a of e)i===s.length?s.push(r=new t(this.O(Yt()),this.O(Yt()),this,this.options)):r=s[i],r._$AI(a),i++;i<s.length&&(this._$AR(r&&r._$AB.nextSibling,i),s.length=i)}_$AR(e=this._$AA.nextSibling,s){for(this._$AP?.(!1,!0,s);e!==this._$AB;){let r=ma(e).nextSibling;ma(e).remove(),e=r}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},vt=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,s,r,i,a){this.type=1,this._$AH=S,this._$AN=void 0,this.element=e,this.name=s,this._$AM=i,this.options=a,r.length>2||r[0]!==""||r[1]!==""?(this._$AH=Array(r.length-1).fill(new String),this.strings=r):this._$AH=S}_$AI(e,s=this,r,i){let a=this.strings,n=!1;if(a===void 0)e=yt(this,e,s,0),n=!Jt(e)||e!==this._$AH&&e!==se,n&&(this._$AH=e);else{let o=e,d,c;for(e=a[0],d=0;d<a.length-1;d++)c=yt(this,o[r+d],s,d),c===se&&(c=this._$AH[d]),n||=!Jt(c)||c!==this._$AH[d],c===S?e=S:e!==S&&(e+=(c??"")+a[d+1]),this._$AH[d]=c}n&&!i&&this.j(e)}j(e){e===S?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},Ms=class extends vt{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===S?void 0:e}},Ns=class extends vt{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==S)}},zs=class extends vt{constructor(e,s,r,i,a){super(e,s,r,i,a),this.type=5}_$AI(e,s=this){if((e=yt(this,e,s,0)??S)===se)return;let r=this._$AH,i=e===S&&r!==S||e.capture!==r.capture||e.once!==r.once||e.passive!==r.passive,a=e!==S&&(r===S||i);i&&this.element.removeEventListener(this.name,this,r),a&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},Vs=class{constructor(e,s,r){this.element=e,this.type=6,this._$AN=void 0,this._$AM=s,this.options=r}get _$AU(){return this._$AM._$AU}_$AI(e){yt(this,e)}},Ta={M:Lr,P:Ne,A:Fr,C:1,L:ka,R:Ps,D:wa,V:yt,I:Mt,H:vt,N:Ns,U:zs,B:Ms,F:Vs},ml=Ur.litHtmlPolyfillSupport;ml?.(Xt,Mt),(Ur.litHtmlVersions??=[]).push("3.3.3");var Us=(t,e,s)=>{let r=s?.renderBefore??e,i=r._$litPart$;if(i===void 0){let a=s?.renderBefore??null;r._$litPart$=i=new Mt(e.insertBefore(Yt(),a),a,void 0,s??{})}return i._$AI(t),i};var Hr=globalThis,Ge=class extends Me{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let s=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Us(s,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return se}};Ge._$litElement$=!0,Ge.finalized=!0,Hr.litElementHydrateSupport?.({LitElement:Ge});var gl=Hr.litElementPolyfillSupport;gl?.({LitElement:Ge});(Hr.litElementVersions??=[]).push("4.2.2");var L=t=>(e,s)=>{s!==void 0?s.addInitializer(()=>{customElements.define(t,e)}):customElements.define(t,e)};var yl={attribute:!0,type:String,converter:Gt,reflect:!1,hasChanged:Rs},vl=(t=yl,e,s)=>{let{kind:r,metadata:i}=s,a=globalThis.litPropertyMetadata.get(i);if(a===void 0&&globalThis.litPropertyMetadata.set(i,a=new Map),r==="setter"&&((t=Object.create(t)).wrapped=!0),a.set(s.name,t),r==="accessor"){let{name:n}=s;return{set(o){let d=e.get.call(this);e.set.call(this,o),this.requestUpdate(n,d,t,!0,o)},init(o){return o!==void 0&&this.C(n,void 0,t,o),o}}}if(r==="setter"){let{name:n}=s;return function(o){let d=this[n];e.call(this,o),this.requestUpdate(n,d,t,!0,o)}}throw Error("Unsupported decorator location: "+r)};function A(t){return(e,s)=>typeof s=="object"?vl(t,e,s):((r,i,a)=>{let n=i.hasOwnProperty(a);return i.constructor.createProperty(a,r),n?Object.getOwnPropertyDescriptor(i,a):void 0})(t,e,s)}function Qt(t){return A({...t,state:!0,attribute:!1})}var _t=(t,e,s)=>(s.configurable=!0,s.enumerable=!0,Reflect.decorate&&typeof e!="object"&&Object.defineProperty(t,e,s),s);function Ea(t,e){return(s,r,i)=>{let a=n=>n.renderRoot?.querySelector(t)??null;if(e){let{get:n,set:o}=typeof r=="object"?s:i??(()=>{let d=Symbol();return{get(){return this[d]},set(c){this[d]=c}}})();return _t(s,r,{get(){let d=n.call(this);return d===void 0&&(d=a(this),(d!==null||this.hasUpdated)&&o.call(this,d)),d}})}return _t(s,r,{get(){return a(this)}})}}var Zr=!1,Aa=new Y.subtle.Watcher(()=>{Zr||(Zr=!0,queueMicrotask(()=>{Zr=!1;for(let t of Aa.getPending())t.get();Aa.watch()}))}),_l=Symbol("SignalWatcherBrand"),bl=new FinalizationRegistry(t=>{t.unwatch(...Y.subtle.introspectSources(t))}),Ia=new WeakMap;function qr(t){return t[_l]===!0?(console.warn("SignalWatcher should not be applied to the same class more than once."),t):class extends t{constructor(){super(...arguments),this._$St=new Map,this._$So=new Y.State(0),this._$Si=!1}_$Sl(){var e,s;let r=[],i=[];this._$St.forEach((n,o)=>{(n?.beforeUpdate?r:i).push(o)});let a=(e=this.h)===null||e===void 0?void 0:e.getPending().filter(n=>n!==this._$Su&&!this._$St.has(n));r.forEach(n=>n.get()),(s=this._$Su)===null||s===void 0||s.get(),a.forEach(n=>n.get()),i.forEach(n=>n.get())}_$Sv(){this.isUpdatePending||queueMicrotask(()=>{this.isUpdatePending||this._$Sl()})}_$S_(){if(this.h!==void 0)return;this._$Su=new Y.Computed(()=>{this._$So.get(),super.performUpdate()});let e=this.h=new Y.subtle.Watcher(function(){let s=Ia.get(this);s!==void 0&&(s._$Si===!1&&(new Set(this.getPending()).has(s._$Su)?s.requestUpdate():s._$Sv()),this.watch())});Ia.set(e,this),bl.register(this,e),e.watch(this._$Su),e.watch(...Array.from(this._$St).map(([s])=>s))}_$Sp(){if(this.h===void 0)return;let e=!1;this.h.unwatch(...Y.subtle.introspectSources(this.h).filter(s=>{var r;let i=((r=this._$St.get(s))===null||r===void 0?void 0:r.manualDispose)!==!0;return i&&this._$St.delete(s),e||(e=!i),i})),e||(this._$Su=void 0,this.h=void 0,this._$St.clear())}updateEffect(e,s){var r;this._$S_();let i=new Y.Computed(()=>{e()});return this.h.watch(i),this._$St.set(i,s),(r=s?.beforeUpdate)!==null&&r!==void 0&&r?Y.subtle.untrack(()=>i.get()):this.updateComplete.then(()=>Y.subtle.untrack(()=>i.get())),()=>{this._$St.delete(i),this.h.unwatch(i),this.isConnected===!1&&this._$Sp()}}performUpdate(){this.isUpdatePending&&(this._$S_(),this._$Si=!0,this._$So.set(this._$So.get()+1),this._$Si=!1,this._$Sl())}connectedCallback(){super.connectedCallback(),this.requestUpdate()}disconnectedCallback(){super.disconnectedCallback(),queueMicrotask(()=>{this.isConnected===!1&&this._$Sp()})}}}var Ae={ATTRIBUTE:1,CHILD:2,PROPERTY:3,BOOLEAN_ATTRIBUTE:4,EVENT:5,ELEMENT:6},oe=t=>(...e)=>({_$litDirective$:t,values:e}),pe=class{constructor(e){}get _$AU(){return this._$AM._$AU}_$AT(e,s,r){this._$Ct=e,this._$AM=s,this._$Ci=r}_$AS(e,s){return this.update(e,s)}update(e,s){return this.render(...s)}};var{I:xl}=Ta,Oa=t=>t,Ra=t=>t===null||typeof t!="object"&&typeof t!="function";var Da=t=>t.strings===void 0,ja=()=>document.createComment(""),Nt=(t,e,s)=>{let r=t._$AA.parentNode,i=e===void 0?t._$AB:e._$AA;if(s===void 0){let a=r.insertBefore(ja(),i),n=r.insertBefore(ja(),i);s=new xl(a,n,t,t.options)}else{let a=s._$AB.nextSibling,n=s._$AM,o=n!==t;if(o){let d;s._$AQ?.(t),s._$AM=t,s._$AP!==void 0&&(d=t._$AU)!==n._$AU&&s._$AP(d)}if(a!==i||o){let d=s._$AA;for(;d!==a;){let c=Oa(d).nextSibling;Oa(r).insertBefore(d,i),d=c}}}return s},Ke=(t,e,s=t)=>(t._$AI(e,s),t),wl={},Pa=(t,e=wl)=>t._$AH=e,Ma=t=>t._$AH,Ls=t=>{t._$AR(),t._$AA.remove()};var es=(t,e)=>{let s=t._$AN;if(s===void 0)return!1;for(let r of s)r._$AO?.(e,!1),es(r,e);return!0},Fs=t=>{let e,s;do{if((e=t._$AM)===void 0)break;s=e._$AN,s.delete(t),t=e}while(s?.size===0)},Na=t=>{for(let e;e=t._$AM;t=e){let s=e._$AN;if(s===void 0)e._$AN=s=new Set;else if(s.has(t))break;s.add(t),Cl(e)}};function $l(t){this._$AN!==void 0?(Fs(this),this._$AM=t,Na(this)):this._$AM=t}function Sl(t,e=!1,s=0){let r=this._$AH,i=this._$AN;if(i!==void 0&&i.size!==0)if(e)if(Array.isArray(r))for(let a=s;a<r.length;a++)es(r[a],!1),Fs(r[a]);else r!=null&&(es(r,!1),Fs(r));else es(this,t)}var Cl=t=>{t.type==Ae.CHILD&&(t._$AP??=Sl,t._$AQ??=$l)},Ye=class extends pe{constructor(){super(...arguments),this._$AN=void 0}_$AT(e,s,r){super._$AT(e,s,r),Na(this),this.isConnected=e._$AU}_$AO(e,s=!0){e!==this.isConnected&&(this.isConnected=e,e?this.reconnected?.():this.disconnected?.()),s&&(es(this,e),Fs(this))}setValue(e){if(Da(this._$Ct))this._$Ct._$AI(e,this);else{let s=[...this._$Ct._$AH];s[this._$Ci]=e,this._$Ct._$AI(s,this,0)}}disconnected(){}reconnected(){}};var Gr=!1,Kr=new Y.subtle.Watcher(async()=>{Gr||(Gr=!0,queueMicrotask(()=>{Gr=!1;for(let t of Kr.getPending())t.get();Kr.watch()}))}),Bs=class extends Ye{_$S_(){var e,s;this._$Sm===void 0&&(this._$Sj=new Y.Computed(()=>{var r;let i=(r=this._$SW)===null||r===void 0?void 0:r.get();return this.setValue(i),i}),this._$Sm=(s=(e=this._$Sk)===null||e===void 0?void 0:e.h)!==null&&s!==void 0?s:Kr,this._$Sm.watch(this._$Sj),Y.subtle.untrack(()=>{var r;return(r=this._$Sj)===null||r===void 0?void 0:r.get()}))}_$Sp(){this._$Sm!==void 0&&(this._$Sm.unwatch(this._$SW),this._$Sm=void 0)}render(e){return Y.subtle.untrack(()=>e.get())}update(e,[s]){var r,i;return(r=this._$Sk)!==null&&r!==void 0||(this._$Sk=(i=e.options)===null||i===void 0?void 0:i.host),s!==this._$SW&&this._$SW!==void 0&&this._$Sp(),this._$SW=s,this._$S_(),Y.subtle.untrack(()=>this._$SW.get())}disconnected(){this._$Sp()}reconnected(){this._$S_()}},Yr=oe(Bs);var Jr=t=>(e,...s)=>t(e,...s.map(r=>r instanceof Y.State||r instanceof Y.Computed?Yr(r):r)),kl=Jr(w),Tl=Jr(Sa);var eh=Y.State,th=Y.Computed;var bt=class extends Event{constructor(e,s,r,i){super("context-request",{bubbles:!0,composed:!0}),this.context=e,this.contextTarget=s,this.callback=r,this.subscribe=i??!1}};var zt=class{constructor(e,s,r,i){if(this.subscribe=!1,this.provided=!1,this.value=void 0,this.t=(a,n)=>{this.unsubscribe&&(this.unsubscribe!==n&&(this.provided=!1,this.unsubscribe()),this.subscribe||this.unsubscribe()),this.value=a,this.host.requestUpdate(),this.provided&&!this.subscribe||(this.provided=!0,this.callback&&this.callback(a,n)),this.unsubscribe=n},this.host=e,s.context!==void 0){let a=s;this.context=a.context,this.callback=a.callback,this.subscribe=a.subscribe??!1}else this.context=s,this.callback=r,this.subscribe=i??!1;this.host.addController(this)}hostConnected(){this.dispatchRequest()}hostDisconnected(){this.unsubscribe&&(this.unsubscribe(),this.unsubscribe=void 0)}dispatchRequest(){this.host.dispatchEvent(new bt(this.context,this.host,this.t,this.subscribe))}};function ts({context:t,subscribe:e}){return(s,r)=>{typeof r=="object"?r.addInitializer((function(){new zt(this,{context:t,callback:i=>{s.set.call(this,i)},subscribe:e})})):s.constructor.addInitializer((i=>{new zt(i,{context:t,callback:a=>{i[r]=a},subscribe:e})}))}}function*Va(t,e){if(t!==void 0){let s=0;for(let r of t)yield e(r,s++)}}var Xr=!1,Ws=new Y.subtle.Watcher(()=>{Xr||(Xr=!0,queueMicrotask(()=>{Xr=!1,Al()}))});function Al(){for(let t of Ws.getPending())t.get();Ws.watch()}function Ua(t){let e=new Y.Computed(()=>t());return Ws.watch(e),e.get(),()=>{Ws.unwatch(e)}}var Il=Symbol("A2UITheme"),La=Il;var Ol=()=>{if(typeof window>"u")return[];try{let t=new CSSStyleSheet;return t.replaceSync(Tr),t}catch(t){throw new Error("Failed to construct structural styles.",{cause:t})}},B=Ol();var Hs=class{constructor(){this.schemas=new Map,this.registry=new Map}register(e,s,r,i){if(!/^[a-zA-Z0-9]+$/.test(e))throw new Error(`[Registry] Invalid typeName '${e}'. Must be alphanumeric.`);this.registry.set(e,s),i&&this.schemas.set(e,i);let a=r||`a2ui-custom-${e.toLowerCase()}`,n=customElements.getName(s);if(n){if(n!==a)throw new Error(`Component ${e} is already registered as ${n}, but requested as ${a}.`);return}customElements.get(a)||customElements.define(a,s)}get(e){return this.registry.get(e)}getInlineCatalog(){let e={};for(let[s,r]of this.schemas)e[s]=r;return{components:e}}},Zs=new Hs;var ce=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},ze=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},F=(()=>{let t=[L("a2ui-root")],e,s=[],r,i=qr(Ge),a=[],n,o=[],d=[],c,l=[],u=[],m,p=[],g=[],f,h=[],v=[],b,_=[],C=[],fe,K=[],q=[],M,X=[],$e=[],N;var j=class extends i{static{r=this}static{let O=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;n=[A()],c=[A()],m=[ts({context:La})],f=[A({attribute:!1})],b=[A({attribute:!1})],fe=[A()],M=[A()],N=[A()],ze(this,null,n,{kind:"accessor",name:"surfaceId",static:!1,private:!1,access:{has:k=>"surfaceId"in k,get:k=>k.surfaceId,set:(k,y)=>{k.surfaceId=y}},metadata:O},o,d),ze(this,null,c,{kind:"accessor",name:"component",static:!1,private:!1,access:{has:k=>"component"in k,get:k=>k.component,set:(k,y)=>{k.component=y}},metadata:O},l,u),ze(this,null,m,{kind:"accessor",name:"theme",static:!1,private:!1,access:{has:k=>"theme"in k,get:k=>k.theme,set:(k,y)=>{k.theme=y}},metadata:O},p,g),ze(this,null,f,{kind:"accessor",name:"childComponents",static:!1,private:!1,access:{has:k=>"childComponents"in k,get:k=>k.childComponents,set:(k,y)=>{k.childComponents=y}},metadata:O},h,v),ze(this,null,b,{kind:"accessor",name:"processor",static:!1,private:!1,access:{has:k=>"processor"in k,get:k=>k.processor,set:(k,y)=>{k.processor=y}},metadata:O},_,C),ze(this,null,fe,{kind:"accessor",name:"dataContextPath",static:!1,private:!1,access:{has:k=>"dataContextPath"in k,get:k=>k.dataContextPath,set:(k,y)=>{k.dataContextPath=y}},metadata:O},K,q),ze(this,null,M,{kind:"accessor",name:"enableCustomElements",static:!1,private:!1,access:{has:k=>"enableCustomElements"in k,get:k=>k.enableCustomElements,set:(k,y)=>{k.enableCustomElements=y}},metadata:O},X,$e),ze(this,null,N,{kind:"setter",name:"weight",static:!1,private:!1,access:{has:k=>"weight"in k,set:(k,y)=>{k.weight=y}},metadata:O},null,a),ze(null,e={value:r},t,{kind:"class",name:r.name,metadata:O},null,s),j=r=e.value,O&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:O})}#e=(ce(this,a),ce(this,o,null));get surfaceId(){return this.#e}set surfaceId(O){this.#e=O}#t=(ce(this,d),ce(this,l,null));get component(){return this.#t}set component(O){this.#t=O}#r=(ce(this,u),ce(this,p,void 0));get theme(){return this.#r}set theme(O){this.#r=O}#s=(ce(this,g),ce(this,h,null));get childComponents(){return this.#s}set childComponents(O){this.#s=O}#i=(ce(this,v),ce(this,_,null));get processor(){return this.#i}set processor(O){this.#i=O}#a=(ce(this,C),ce(this,K,""));get dataContextPath(){return this.#a}set dataContextPath(O){this.#a=O}#o=(ce(this,q),ce(this,X,!1));get enableCustomElements(){return this.#o}set enableCustomElements(O){this.#o=O}set weight(O){this.#l=O,this.style.setProperty("--weight",`${O}`)}get weight(){return this.#l}#l=(ce(this,$e),1);static{this.styles=[B,V`
      :host {
        display: flex;
        flex-direction: column;
        gap: 8px;
        max-height: 80%;
      }
    `]}#n=null;willUpdate(O){O.has("childComponents")&&(this.#n&&this.#n(),this.#n=Ua(()=>{let k=this.childComponents??null,y=this.renderComponentTree(k);Us(y,this,{host:this})}))}disconnectedCallback(){super.disconnectedCallback(),this.#n&&this.#n()}renderComponentTree(O){return O?Array.isArray(O)?w` ${Va(O,k=>{if(this.enableCustomElements){let Q=Zs.get(k.type)||customElements.get(k.type);if(Q){let J=k,re=new Q;re.id=J.id,J.slotName&&(re.slot=J.slotName),re.component=J,re.weight=J.weight??"initial",re.processor=this.processor,re.surfaceId=this.surfaceId,re.dataContextPath=J.dataContextPath??"/";for(let[Qs,sn]of Object.entries(k.properties))re[Qs]=sn;return w`${re}`}}switch(k.type){case"List":{let y=k,Q=y.properties.children;return w`<a2ui-list
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .direction=${y.properties.direction??"vertical"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .childComponents=${Q}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-list>`}case"Card":{let y=k,Q=y.properties.children;return!Q&&y.properties.child&&(Q=[y.properties.child]),w`<a2ui-card
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .childComponents=${Q}
            .dataContextPath=${y.dataContextPath??""}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-card>`}case"Column":{let y=k;return w`<a2ui-column
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .childComponents=${y.properties.children??null}
            .dataContextPath=${y.dataContextPath??""}
            .alignment=${y.properties.alignment??"stretch"}
            .distribution=${y.properties.distribution??"start"}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-column>`}case"Row":{let y=k;return w`<a2ui-row
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .childComponents=${y.properties.children??null}
            .dataContextPath=${y.dataContextPath??""}
            .alignment=${y.properties.alignment??"stretch"}
            .distribution=${y.properties.distribution??"start"}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-row>`}case"Image":{let y=k;return w`<a2ui-image
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .url=${y.properties.url??null}
            .dataContextPath=${y.dataContextPath??""}
            .usageHint=${y.properties.usageHint}
            .fit=${y.properties.fit}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-image>`}case"Icon":{let y=k;return w`<a2ui-icon
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .name=${y.properties.name??null}
            .dataContextPath=${y.dataContextPath??""}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-icon>`}case"AudioPlayer":{let y=k;return w`<a2ui-audioplayer
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .url=${y.properties.url??null}
            .dataContextPath=${y.dataContextPath??""}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-audioplayer>`}case"Button":{let y=k;return w`<a2ui-button
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath??""}
            .action=${y.properties.action}
            .childComponents=${[y.properties.child]}
            .primary=${y.properties.primary}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-button>`}case"Text":{let y=k;return w`<a2ui-text
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .model=${this.processor}
            .surfaceId=${this.surfaceId}
            .processor=${this.processor}
            .dataContextPath=${y.dataContextPath}
            .text=${y.properties.text}
            .usageHint=${y.properties.usageHint}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-text>`}case"CheckBox":{let y=k;return w`<a2ui-checkbox
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath??""}
            .label=${y.properties.label}
            .value=${y.properties.value}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-checkbox>`}case"DateTimeInput":{let y=k;return w`<a2ui-datetimeinput
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath??""}
            .enableDate=${y.properties.enableDate??!0}
            .enableTime=${y.properties.enableTime??!0}
            .value=${y.properties.value}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-datetimeinput>`}case"Divider":{let y=k;return w`<a2ui-divider
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .thickness=${y.properties.thickness}
            .axis=${y.properties.axis}
            .color=${y.properties.color}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-divider>`}case"MultipleChoice":{let y=k;return w`<a2ui-multiplechoice
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .options=${y.properties.options}
            .maxAllowedSelections=${y.properties.maxAllowedSelections}
            .selections=${y.properties.selections}
            .variant=${y.properties.variant}
            .filterable=${y.properties.filterable}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-multiplechoice>`}case"Slider":{let y=k;return w`<a2ui-slider
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .value=${y.properties.value}
            .minValue=${y.properties.minValue}
            .maxValue=${y.properties.maxValue}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-slider>`}case"TextField":{let y=k;return w`<a2ui-textfield
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .label=${y.properties.label}
            .text=${y.properties.text}
            .textFieldType=${y.properties.textFieldType}
            .validationRegexp=${y.properties.validationRegexp}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-textfield>`}case"Video":{let y=k;return w`<a2ui-video
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .url=${y.properties.url}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-video>`}case"Tabs":{let y=k,Q=[],J=[];if(y.properties.tabItems)for(let re of y.properties.tabItems)Q.push(re.title),J.push(re.child);return w`<a2ui-tabs
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .titles=${Q}
            .childComponents=${J}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-tabs>`}case"Modal":{let y=k,Q=[y.properties.entryPointChild,y.properties.contentChild];return y.properties.entryPointChild.slotName="entry",w`<a2ui-modal
            id=${y.id}
            slot=${y.slotName?y.slotName:S}
            .component=${y}
            .weight=${y.weight??"initial"}
            .processor=${this.processor}
            .surfaceId=${this.surfaceId}
            .dataContextPath=${y.dataContextPath}
            .childComponents=${Q}
            .enableCustomElements=${this.enableCustomElements}
          ></a2ui-modal>`}default:return this.renderCustomComponent(k)}})}`:S:S}renderCustomComponent(O){if(!this.enableCustomElements)return;let k=O,Q=Zs.get(O.type)||customElements.get(O.type);if(!Q)return w`Unknown element ${O.type}`;let J=new Q;J.id=k.id,k.slotName&&(J.slot=k.slotName),J.component=k,J.weight=k.weight??"initial",J.processor=this.processor,J.surfaceId=this.surfaceId,J.dataContextPath=k.dataContextPath??"/";for(let[re,Qs]of Object.entries(O.properties))J[re]=Qs;return w`${J}`}render(){return w`<slot></slot>`}static{ce(r,s)}};return j=r})();var P=oe(class extends pe{constructor(t){if(super(t),t.type!==Ae.ATTRIBUTE||t.name!=="class"||t.strings?.length>2)throw Error("`classMap()` can only be used in the `class` attribute and must be the only part in the attribute.")}render(t){return" "+Object.keys(t).filter(e=>t[e]).join(" ")+" "}update(t,[e]){if(this.st===void 0){this.st=new Set,t.strings!==void 0&&(this.nt=new Set(t.strings.join(" ").split(/\s/).filter(r=>r!=="")));for(let r in e)e[r]&&!this.nt?.has(r)&&this.st.add(r);return this.render(e)}let s=t.element.classList;for(let r of this.st)r in e||(s.remove(r),this.st.delete(r));for(let r in e){let i=!!e[r];i===this.st.has(r)||this.nt?.has(r)||(i?(s.add(r),this.st.add(r)):(s.remove(r),this.st.delete(r)))}return se}});var Fa="important",jl=" !"+Fa,Z=oe(class extends pe{constructor(t){if(super(t),t.type!==Ae.ATTRIBUTE||t.name!=="style"||t.strings?.length>2)throw Error("The `styleMap` directive must be used in the `style` attribute and must be the only part in the attribute.")}render(t){return Object.keys(t).reduce((e,s)=>{let r=t[s];return r==null?e:e+`${s=s.includes("-")?s:s.replace(/(?:^(webkit|moz|ms|o)|)(?=[A-Z])/g,"-$&").toLowerCase()}:${r};`},"")}update(t,[e]){let{style:s}=t.element;if(this.ft===void 0)return this.ft=new Set(Object.keys(e)),this.render(e);for(let r of this.ft)e[r]==null&&(this.ft.delete(r),r.includes("-")?s.removeProperty(r):s[r]=null);for(let r in e){let i=e[r];if(i!=null){this.ft.add(r);let a=typeof i=="string"&&i.endsWith(jl);r.includes("-")||a?s.setProperty(r,a?i.slice(0,-11):i,a?Fa:""):s[r]=i}}return se}});var Ba=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Qr=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Rl=(()=>{let t=[L("a2ui-audioplayer")],e,s=[],r,i=F,a,n=[],o=[];var d=class extends i{static{r=this}static{let c=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],Ba(this,null,a,{kind:"accessor",name:"url",static:!1,private:!1,access:{has:l=>"url"in l,get:l=>l.url,set:(l,u)=>{l.url=u}},metadata:c},n,o),Ba(null,e={value:r},t,{kind:"class",name:r.name,metadata:c},null,s),d=r=e.value,c&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:c})}#e=Qr(this,n,null);get url(){return this.#e}set url(c){this.#e=c}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      audio {
        display: block;
        width: 100%;
      }
    `]}#t(){if(!this.url)return S;if(this.url&&typeof this.url=="object"){if("literalString"in this.url)return w`<audio controls src=${this.url.literalString} />`;if("literal"in this.url)return w`<audio controls src=${this.url.literal} />`;if(this.url&&"path"in this.url&&this.url.path){if(!this.processor||!this.component)return w`(no processor)`;let c=this.processor.getData(this.component,this.url.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return c?typeof c!="string"?w`Invalid audio URL`:w`<audio controls src=${c} />`:w`Invalid audio URL`}}return w`(empty)`}render(){return w`<section
      class=${P(this.theme.components.AudioPlayer)}
      style=${this.theme.additionalStyles?.AudioPlayer?Z(this.theme.additionalStyles?.AudioPlayer):S}
    >
      ${this.#t()}
    </section>`}constructor(){super(...arguments),Qr(this,o)}static{Qr(r,s)}};return d=r})();var ei=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},ss=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Dl=(()=>{let t=[L("a2ui-button")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[];var u=class extends i{static{r=this}static{let m=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],ei(this,null,a,{kind:"accessor",name:"action",static:!1,private:!1,access:{has:p=>"action"in p,get:p=>p.action,set:(p,g)=>{p.action=g}},metadata:m},n,o),ei(this,null,d,{kind:"accessor",name:"primary",static:!1,private:!1,access:{has:p=>"primary"in p,get:p=>p.primary,set:(p,g)=>{p.primary=g}},metadata:m},c,l),ei(null,e={value:r},t,{kind:"class",name:r.name,metadata:m},null,s),u=r=e.value,m&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:m})}#e=ss(this,n,null);get action(){return this.#e}set action(m){this.#e=m}#t=(ss(this,o),ss(this,c,!1));get primary(){return this.#t}set primary(m){this.#t=m}static{this.styles=[B,V`
      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
      }
    `]}render(){return w`<button
      class=${P(this.theme.components.Button)}
      style=${this.theme.additionalStyles?.Button?Z(this.theme.additionalStyles?.Button):S}
      @click=${()=>{if(!this.action)return;let m=new ms({eventType:"a2ui.action",action:this.action,dataContextPath:this.dataContextPath,sourceComponentId:this.id,sourceComponent:this.component});this.dispatchEvent(m)}}
    >
      <slot></slot>
    </button>`}constructor(){super(...arguments),ss(this,l)}static{ss(r,s)}};return u=r})();var Pl=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Ml=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Nl=(()=>{let t=[L("a2ui-card")],e,s=[],r,i=F;var a=class extends i{static{r=this}static{let n=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;Pl(null,e={value:r},t,{kind:"class",name:r.name,metadata:n},null,s),a=r=e.value,n&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:n})}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      section {
        height: 100%;
        width: 100%;
        min-height: 0;
        overflow: auto;

        ::slotted(*) {
          height: 100%;
          width: 100%;
        }
      }
    `]}render(){return w` <section
      class=${P(this.theme.components.Card)}
      style=${this.theme.additionalStyles?.Card?Z(this.theme.additionalStyles?.Card):S}
    >
      <slot></slot>
    </section>`}static{Ml(r,s)}};return a=r})();function we(t,e,s,r){if(t!==null&&typeof t=="object"){if("literalString"in t)return t.literalString??"";if("literal"in t&&t.literal!==void 0)return t.literal??"";if(t&&"path"in t&&t.path){if(!s||!e)return"(no model)";let i=s.getData(e,t.path,r??H.DEFAULT_SURFACE_ID);return i===null||typeof i!="string"?"":i}}return""}function Wa(t,e,s,r){if(t!==null&&typeof t=="object"){if("literalNumber"in t)return t.literalNumber??0;if("literal"in t&&t.literal!==void 0)return t.literal??0;if(t&&"path"in t&&t.path){if(!s||!e)return-1;let i=s.getData(e,t.path,r??H.DEFAULT_SURFACE_ID);return typeof i=="string"&&(i=Number.parseInt(i,10),Number.isNaN(i)&&(i=null)),i===null||typeof i!="number"?-1:i}}return 0}var ti=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},rs=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Vl=(()=>{let t=[L("a2ui-checkbox")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[];var u=class extends i{static{r=this}static{let m=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],ti(this,null,a,{kind:"accessor",name:"value",static:!1,private:!1,access:{has:p=>"value"in p,get:p=>p.value,set:(p,g)=>{p.value=g}},metadata:m},n,o),ti(this,null,d,{kind:"accessor",name:"label",static:!1,private:!1,access:{has:p=>"label"in p,get:p=>p.label,set:(p,g)=>{p.label=g}},metadata:m},c,l),ti(null,e={value:r},t,{kind:"class",name:r.name,metadata:m},null,s),u=r=e.value,m&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:m})}#e=rs(this,n,null);get value(){return this.#e}set value(m){this.#e=m}#t=(rs(this,o),rs(this,c,null));get label(){return this.#t}set label(m){this.#t=m}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      input {
        display: block;
        width: 100%;
      }

      .description {
        font-size: 14px;
        margin-bottom: 4px;
      }
    `]}#r(m){!this.value||!this.processor||"path"in this.value&&this.value.path&&this.processor.setData(this.component,this.value.path,m,this.surfaceId??H.DEFAULT_SURFACE_ID)}#s(m){return w` <section
      class=${P(this.theme.components.CheckBox.container)}
      style=${this.theme.additionalStyles?.CheckBox?Z(this.theme.additionalStyles?.CheckBox):S}
    >
      <input
        class=${P(this.theme.components.CheckBox.element)}
        autocomplete="off"
        @input=${p=>{p.target instanceof HTMLInputElement&&this.#r(p.target.checked)}}
        id="data"
        type="checkbox"
        .checked=${m}
      />
      <label class=${P(this.theme.components.CheckBox.label)} for="data"
        >${we(this.label,this.component,this.processor,this.surfaceId)}</label
      >
    </section>`}render(){if(this.value&&typeof this.value=="object"){if("literalBoolean"in this.value&&this.value.literalBoolean)return this.#s(this.value.literalBoolean);if("literal"in this.value&&this.value.literal!==void 0)return this.#s(this.value.literal);if(this.value&&"path"in this.value&&this.value.path){if(!this.processor||!this.component)return w`(no model)`;let m=this.processor.getData(this.component,this.value.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return m===null?w`Invalid label`:typeof m!="boolean"?w`Invalid label`:this.#s(m)}}return S}constructor(){super(...arguments),rs(this,l)}static{rs(r,s)}};return u=r})();var si=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},is=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Ul=(()=>{let t=[L("a2ui-column")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[];var u=class extends i{static{r=this}static{let m=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A({reflect:!0,type:String})],d=[A({reflect:!0,type:String})],si(this,null,a,{kind:"accessor",name:"alignment",static:!1,private:!1,access:{has:p=>"alignment"in p,get:p=>p.alignment,set:(p,g)=>{p.alignment=g}},metadata:m},n,o),si(this,null,d,{kind:"accessor",name:"distribution",static:!1,private:!1,access:{has:p=>"distribution"in p,get:p=>p.distribution,set:(p,g)=>{p.distribution=g}},metadata:m},c,l),si(null,e={value:r},t,{kind:"class",name:r.name,metadata:m},null,s),u=r=e.value,m&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:m})}#e=is(this,n,"stretch");get alignment(){return this.#e}set alignment(m){this.#e=m}#t=(is(this,o),is(this,c,"start"));get distribution(){return this.#t}set distribution(m){this.#t=m}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: flex;
        flex: var(--weight);
      }

      section {
        display: flex;
        flex-direction: column;
        min-width: 100%;
        height: 100%;
      }

      :host([alignment='start']) section {
        align-items: start;
      }

      :host([alignment='center']) section {
        align-items: center;
      }

      :host([alignment='end']) section {
        align-items: end;
      }

      :host([alignment='stretch']) section {
        align-items: stretch;
      }

      :host([distribution='start']) section {
        justify-content: start;
      }

      :host([distribution='center']) section {
        justify-content: center;
      }

      :host([distribution='end']) section {
        justify-content: end;
      }

      :host([distribution='spaceBetween']) section {
        justify-content: space-between;
      }

      :host([distribution='spaceAround']) section {
        justify-content: space-around;
      }

      :host([distribution='spaceEvenly']) section {
        justify-content: space-evenly;
      }
    `]}render(){return w`<section
      class=${P(this.theme.components.Column)}
      style=${this.theme.additionalStyles?.Column?Z(this.theme.additionalStyles?.Column):S}
    >
      <slot></slot>
    </section>`}constructor(){super(...arguments),is(this,l)}static{is(r,s)}};return u=r})();var as=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Ve=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Ll=(()=>{let t=[L("a2ui-datetimeinput")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[],g,f=[],h=[];var v=class extends i{static{r=this}static{let b=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A({reflect:!1,type:Boolean})],g=[A({reflect:!1,type:Boolean})],as(this,null,a,{kind:"accessor",name:"value",static:!1,private:!1,access:{has:_=>"value"in _,get:_=>_.value,set:(_,C)=>{_.value=C}},metadata:b},n,o),as(this,null,d,{kind:"accessor",name:"label",static:!1,private:!1,access:{has:_=>"label"in _,get:_=>_.label,set:(_,C)=>{_.label=C}},metadata:b},c,l),as(this,null,u,{kind:"accessor",name:"enableDate",static:!1,private:!1,access:{has:_=>"enableDate"in _,get:_=>_.enableDate,set:(_,C)=>{_.enableDate=C}},metadata:b},m,p),as(this,null,g,{kind:"accessor",name:"enableTime",static:!1,private:!1,access:{has:_=>"enableTime"in _,get:_=>_.enableTime,set:(_,C)=>{_.enableTime=C}},metadata:b},f,h),as(null,e={value:r},t,{kind:"class",name:r.name,metadata:b},null,s),v=r=e.value,b&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:b})}#e=Ve(this,n,null);get value(){return this.#e}set value(b){this.#e=b}#t=(Ve(this,o),Ve(this,c,null));get label(){return this.#t}set label(b){this.#t=b}#r=(Ve(this,l),Ve(this,m,!0));get enableDate(){return this.#r}set enableDate(b){this.#r=b}#s=(Ve(this,p),Ve(this,f,!0));get enableTime(){return this.#s}set enableTime(b){this.#s=b}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      input {
        display: block;
        border-radius: 8px;
        padding: 8px;
        border: 1px solid #ccc;
        width: 100%;
        color: #333;
      }

      input::-webkit-datetime-edit,
      input::-webkit-datetime-edit-fields-wrapper {
        color: #333;
      }
    `]}#i(b){!this.value||!this.processor||"path"in this.value&&this.value.path&&this.processor.setData(this.component,this.value.path,b,this.surfaceId??H.DEFAULT_SURFACE_ID)}#a(b){return w`<section class=${P(this.theme.components.DateTimeInput.container)}>
      <label for="data" class=${P(this.theme.components.DateTimeInput.label)}
        >${this.#c()}</label
      >
      <input
        autocomplete="off"
        class=${P(this.theme.components.DateTimeInput.element)}
        style=${this.theme.additionalStyles?.DateTimeInput?Z(this.theme.additionalStyles?.DateTimeInput):S}
        @input=${_=>{_.target instanceof HTMLInputElement&&this.#i(_.target.value)}}
        id="data"
        name="data"
        .value=${this.#l(b)}
        .placeholder=${this.#c()}
        .type=${this.#o()}
      />
    </section>`}#o(){return this.enableDate&&this.enableTime?"datetime-local":this.enableDate?"date":this.enableTime?"time":"datetime-local"}#l(b){let _=this.#o(),C=b?new Date(b):null;if(!C||isNaN(C.getTime()))return"";let fe=this.#n(C.getFullYear()),K=this.#n(C.getMonth()+1),q=this.#n(C.getDate()),M=this.#n(C.getHours()),X=this.#n(C.getMinutes());return _==="date"?`${fe}-${K}-${q}`:_==="time"?`${M}:${X}`:`${fe}-${K}-${q}T${M}:${X}`}#n(b){return b.toString().padStart(2,"0")}#c(){let b=this.#o();return b==="date"?"Date":b==="time"?"Time":"Date & Time"}render(){if(this.value&&typeof this.value=="object"){if("literalString"in this.value&&this.value.literalString)return this.#a(this.value.literalString);if("literal"in this.value&&this.value.literal!==void 0)return this.#a(this.value.literal);if(this.value&&"path"in this.value&&this.value.path){if(!this.processor||!this.component)return w`(no model)`;let b=this.processor.getData(this.component,this.value.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return typeof b!="string"?w`(invalid)`:this.#a(b)}}return S}constructor(){super(...arguments),Ve(this,h)}static{Ve(r,s)}};return v=r})();var qs=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},xt=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Fl=(()=>{let t=[L("a2ui-divider")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[];var g=class extends i{static{r=this}static{let f=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A({type:Number})],qs(this,null,a,{kind:"accessor",name:"axis",static:!1,private:!1,access:{has:h=>"axis"in h,get:h=>h.axis,set:(h,v)=>{h.axis=v}},metadata:f},n,o),qs(this,null,d,{kind:"accessor",name:"color",static:!1,private:!1,access:{has:h=>"color"in h,get:h=>h.color,set:(h,v)=>{h.color=v}},metadata:f},c,l),qs(this,null,u,{kind:"accessor",name:"thickness",static:!1,private:!1,access:{has:h=>"thickness"in h,get:h=>h.thickness,set:(h,v)=>{h.thickness=v}},metadata:f},m,p),qs(null,e={value:r},t,{kind:"class",name:r.name,metadata:f},null,s),g=r=e.value,f&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:f})}#e=xt(this,n,"horizontal");get axis(){return this.#e}set axis(f){this.#e=f}#t=(xt(this,o),xt(this,c,null));get color(){return this.#t}set color(f){this.#t=f}#r=(xt(this,l),xt(this,m,null));get thickness(){return this.#r}set thickness(f){this.#r=f}static{this.styles=[B,V`
      :host {
        display: block;
        min-height: 0;
        overflow: auto;
        align-self: stretch;
      }

      hr,
      .vertical-divider {
        background: #ccc;
        border: none;
      }

      hr {
        height: 1px;
      }

      .vertical-divider {
        width: 1px;
        height: 100%;
      }
    `]}render(){let h={...typeof this.theme?.components?.Divider=="string"?{[this.theme.components.Divider]:!0}:this.theme?.components?.Divider,vertical:this.axis==="vertical",horizontal:this.axis!=="vertical"},v={};this.color&&(v["background-color"]=this.color),this.thickness!==null&&this.thickness!==void 0&&(this.axis==="vertical"?v.width=`${this.thickness}px`:v.height=`${this.thickness}px`);let b={...this.theme?.additionalStyles?.Divider,...v};return this.axis==="vertical"?w`<div
          class=${P({...h,"vertical-divider":!0})}
          style=${Z(b)}
        ></div>`:w`<hr class=${P(h)} style=${Z(b)} />`}constructor(){super(...arguments),xt(this,p)}static{xt(r,s)}};return g=r})();var Ha=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},ri=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Bl=(()=>{let t=[L("a2ui-icon")],e,s=[],r,i=F,a,n=[],o=[];var d=class extends i{static{r=this}static{let c=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],Ha(this,null,a,{kind:"accessor",name:"name",static:!1,private:!1,access:{has:l=>"name"in l,get:l=>l.name,set:(l,u)=>{l.name=u}},metadata:c},n,o),Ha(null,e={value:r},t,{kind:"class",name:r.name,metadata:c},null,s),d=r=e.value,c&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:c})}#e=ri(this,n,null);get name(){return this.#e}set name(c){this.#e=c}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
      }

      .g-icon {
        font-family: 'Material Symbols Outlined';
        font-weight: normal;
        font-style: normal;
        font-size: 24px;
        display: inline-block;
        line-height: 1;
        text-transform: none;
        letter-spacing: normal;
        word-wrap: normal;
        white-space: nowrap;
        direction: ltr;
        -webkit-font-smoothing: antialiased;
        text-rendering: optimizeLegibility;
        -moz-osx-font-smoothing: grayscale;
        font-feature-settings: 'liga';
      }
    `]}#t(){if(!this.name)return S;let c=l=>(l=l.replace(/([A-Z])/gm,"_$1").toLocaleLowerCase(),w`<span class="g-icon">${l}</span>`);if(this.name&&typeof this.name=="object"){if("literalString"in this.name){let l=this.name.literalString??"";return c(l)}else if("literal"in this.name){let l=this.name.literal??"";return c(l)}else if(this.name&&"path"in this.name&&this.name.path){if(!this.processor||!this.component)return w`(no model)`;let l=this.processor.getData(this.component,this.name.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return l?typeof l!="string"?w`Invalid icon name`:c(l):w`Invalid icon name`}}return w`(empty)`}render(){return w`<section
      class=${P(this.theme.components.Icon)}
      style=${this.theme.additionalStyles?.Icon?Z(this.theme.additionalStyles?.Icon):S}
    >
      ${this.#t()}
    </section>`}constructor(){super(...arguments),ri(this,o)}static{ri(r,s)}};return d=r})();var ns=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Ue=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Hl=(()=>{let t=[L("a2ui-image")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[],g,f=[],h=[];var v=class extends i{static{r=this}static{let b=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A()],g=[A()],ns(this,null,a,{kind:"accessor",name:"url",static:!1,private:!1,access:{has:_=>"url"in _,get:_=>_.url,set:(_,C)=>{_.url=C}},metadata:b},n,o),ns(this,null,d,{kind:"accessor",name:"altText",static:!1,private:!1,access:{has:_=>"altText"in _,get:_=>_.altText,set:(_,C)=>{_.altText=C}},metadata:b},c,l),ns(this,null,u,{kind:"accessor",name:"usageHint",static:!1,private:!1,access:{has:_=>"usageHint"in _,get:_=>_.usageHint,set:(_,C)=>{_.usageHint=C}},metadata:b},m,p),ns(this,null,g,{kind:"accessor",name:"fit",static:!1,private:!1,access:{has:_=>"fit"in _,get:_=>_.fit,set:(_,C)=>{_.fit=C}},metadata:b},f,h),ns(null,e={value:r},t,{kind:"class",name:r.name,metadata:b},null,s),v=r=e.value,b&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:b})}#e=Ue(this,n,null);get url(){return this.#e}set url(b){this.#e=b}#t=(Ue(this,o),Ue(this,c,null));get altText(){return this.#t}set altText(b){this.#t=b}#r=(Ue(this,l),Ue(this,m,null));get usageHint(){return this.#r}set usageHint(b){this.#r=b}#s=(Ue(this,p),Ue(this,f,null));get fit(){return this.#s}set fit(b){this.#s=b}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      img {
        display: block;
        width: 100%;
        height: 100%;
        object-fit: var(--object-fit, fill);
      }
    `]}#i(){if(!this.url)return S;let b=_=>{let C="";if(this.altText&&typeof this.altText=="object"){if("literalString"in this.altText)C=this.altText.literalString??"";else if("literal"in this.altText)C=this.altText.literal??"";else if("path"in this.altText&&this.altText.path&&this.processor&&this.component){let fe=this.processor.getData(this.component,this.altText.path,this.surfaceId??H.DEFAULT_SURFACE_ID);typeof fe=="string"&&(C=fe)}}return w`<img src=${_} alt=${C} />`};if(this.url&&typeof this.url=="object"){if("literalString"in this.url){let _=this.url.literalString??"";return b(_)}else if("literal"in this.url){let _=this.url.literal??"";return b(_)}else if(this.url&&"path"in this.url&&this.url.path){if(!this.processor||!this.component)return w`(no model)`;let _=this.processor.getData(this.component,this.url.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return _?typeof _!="string"?w`Invalid image URL`:b(_):w`Invalid image URL`}}return w`(empty)`}render(){let b=Ee.merge(this.theme.components.Image.all,this.usageHint?this.theme.components.Image[this.usageHint]:{});return w`<section
      class=${P(b)}
      style=${Z({...this.theme.additionalStyles?.Image??{},"--object-fit":this.fit??"fill"})}
    >
      ${this.#i()}
    </section>`}constructor(){super(...arguments),Ue(this,h)}static{Ue(r,s)}};return v=r})();var Za=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},ii=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Zl=(()=>{let t=[L("a2ui-list")],e,s=[],r,i=F,a,n=[],o=[];var d=class extends i{static{r=this}static{let c=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A({reflect:!0,type:String})],Za(this,null,a,{kind:"accessor",name:"direction",static:!1,private:!1,access:{has:l=>"direction"in l,get:l=>l.direction,set:(l,u)=>{l.direction=u}},metadata:c},n,o),Za(null,e={value:r},t,{kind:"class",name:r.name,metadata:c},null,s),d=r=e.value,c&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:c})}#e=ii(this,n,"vertical");get direction(){return this.#e}set direction(c){this.#e=c}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      :host([direction='vertical']) section {
        display: grid;
      }

      :host([direction='horizontal']) section {
        display: flex;
        max-width: 100%;
        overflow-x: scroll;
        overflow-y: hidden;
        scrollbar-width: none;

        > ::slotted(*) {
          flex: 1 0 fit-content;
          max-width: min(80%, 400px);
        }
      }
    `]}render(){return w`<section
      class=${P(this.theme.components.List)}
      style=${this.theme.additionalStyles?.List?Z(this.theme.additionalStyles?.List):S}
    >
      <slot></slot>
    </section>`}constructor(){super(...arguments),ii(this,o)}static{ii(r,s)}};return d=r})();var Je=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},ue=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},ql=(()=>{let t=[L("a2ui-multiplechoice")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[],g,f=[],h=[],v,b=[],_=[],C,fe=[],K=[],q,M=[],X=[];var $e=class extends i{static{r=this}static{let N=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A()],g=[A()],v=[A({type:Boolean})],C=[Qt()],q=[Qt()],Je(this,null,a,{kind:"accessor",name:"description",static:!1,private:!1,access:{has:j=>"description"in j,get:j=>j.description,set:(j,O)=>{j.description=O}},metadata:N},n,o),Je(this,null,d,{kind:"accessor",name:"options",static:!1,private:!1,access:{has:j=>"options"in j,get:j=>j.options,set:(j,O)=>{j.options=O}},metadata:N},c,l),Je(this,null,u,{kind:"accessor",name:"selections",static:!1,private:!1,access:{has:j=>"selections"in j,get:j=>j.selections,set:(j,O)=>{j.selections=O}},metadata:N},m,p),Je(this,null,g,{kind:"accessor",name:"variant",static:!1,private:!1,access:{has:j=>"variant"in j,get:j=>j.variant,set:(j,O)=>{j.variant=O}},metadata:N},f,h),Je(this,null,v,{kind:"accessor",name:"filterable",static:!1,private:!1,access:{has:j=>"filterable"in j,get:j=>j.filterable,set:(j,O)=>{j.filterable=O}},metadata:N},b,_),Je(this,null,C,{kind:"accessor",name:"isOpen",static:!1,private:!1,access:{has:j=>"isOpen"in j,get:j=>j.isOpen,set:(j,O)=>{j.isOpen=O}},metadata:N},fe,K),Je(this,null,q,{kind:"accessor",name:"filterText",static:!1,private:!1,access:{has:j=>"filterText"in j,get:j=>j.filterText,set:(j,O)=>{j.filterText=O}},metadata:N},M,X),Je(null,e={value:r},t,{kind:"class",name:r.name,metadata:N},null,s),$e=r=e.value,N&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:N})}#e=ue(this,n,null);get description(){return this.#e}set description(N){this.#e=N}#t=(ue(this,o),ue(this,c,[]));get options(){return this.#t}set options(N){this.#t=N}#r=(ue(this,l),ue(this,m,[]));get selections(){return this.#r}set selections(N){this.#r=N}#s=(ue(this,p),ue(this,f,"checkbox"));get variant(){return this.#s}set variant(N){this.#s=N}#i=(ue(this,h),ue(this,b,!1));get filterable(){return this.#i}set filterable(N){this.#i=N}#a=(ue(this,_),ue(this,fe,!1));get isOpen(){return this.#a}set isOpen(N){this.#a=N}#o=(ue(this,K),ue(this,M,""));get filterText(){return this.#o}set filterText(N){this.#o=N}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        position: relative;
        font-family: 'Google Sans', 'Roboto', sans-serif;
      }

      .container {
        display: flex;
        flex-direction: column;
        gap: 4px;
        position: relative;
      }

      /* Header / Trigger */
      .dropdown-header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        padding: 12px 16px;
        background: var(--md-sys-color-surface);
        border: 1px solid var(--md-sys-color-outline-variant);
        border-radius: 8px;
        cursor: pointer;
        user-select: none;
        transition: background-color 0.2s;
        box-shadow: var(--md-sys-elevation-level1);
      }

      .dropdown-header:hover {
        background: var(--md-sys-color-surface-container-low);
      }

      .header-text {
        font-size: 1rem;
        color: var(--md-sys-color-on-surface);
        font-weight: 400;
      }

      .chevron {
        color: var(--md-sys-color-primary);
        font-size: 1.2rem;
        transition: transform 0.2s ease;
      }

      .chevron.open {
        transform: rotate(180deg);
      }

      /* Dropdown Wrapper */
      .dropdown-wrapper {
        background: var(--md-sys-color-surface);
        border: 1px solid var(--md-sys-color-outline-variant);
        border-radius: 8px;
        box-shadow: var(--md-sys-elevation-level2);
        padding: 0;
        display: none;
        flex-direction: column;
        margin-top: 4px;
        max-height: 300px;
        transition: opacity 0.2s ease-out;
        overflow: hidden; /* contain children */
      }

      .dropdown-wrapper.open {
        display: flex;
        border: 1px solid var(--md-sys-color-outline-variant);
      }

      /* Scrollable Area for Options */
      .options-scroll-container {
        overflow-y: auto;
        flex: 1; /* take remaining height */
        display: flex;
        flex-direction: column;
      }

      /* Filter Input */
      .filter-container {
        padding: 8px;
        border-bottom: 1px solid var(--md-sys-color-outline-variant);
        background: var(--md-sys-color-surface);
        z-index: 1; /* ensure top of stack */
        flex-shrink: 0; /* don't shrink */
      }

      .filter-input {
        width: 100%;
        padding: 8px 12px;
        border: 1px solid var(--md-sys-color-outline);
        border-radius: 4px;
        font-family: inherit;
        font-size: 0.9rem;
        background: var(--md-sys-color-surface-container-low);
        color: var(--md-sys-color-on-surface);
      }

      .filter-input:focus {
        outline: none;
        border-color: var(--md-sys-color-primary);
      }

      /* Option Item (Checkbox style) */
      .option-item {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 12px 16px;
        cursor: pointer;
        color: var(--md-sys-color-on-surface);
        font-size: 0.95rem;
        transition: background-color 0.1s;
      }

      .option-item:hover {
        background: var(--md-sys-color-surface-container-highest);
      }

      /* Custom Checkbox */
      .checkbox {
        width: 18px;
        height: 18px;
        border: 2px solid var(--md-sys-color-outline);
        border-radius: 2px;
        display: flex;
        align-items: center;
        justify-content: center;
        transition: all 0.2s;
        flex-shrink: 0;
      }

      .option-item.selected .checkbox {
        background: var(--md-sys-color-primary);
        border-color: var(--md-sys-color-primary);
      }

      .checkbox-icon {
        color: var(--md-sys-color-on-primary);
        font-size: 14px;
        font-weight: bold;
        opacity: 0;
        transform: scale(0.5);
        transition: all 0.2s;
      }

      .option-item.selected .checkbox-icon {
        opacity: 1;
        transform: scale(1);
      }

      /* Chips Layout */
      .chips-container {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        padding: 4px 0;
      }

      .chip {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        padding: 6px 16px;
        border: 1px solid var(--md-sys-color-outline);
        border-radius: 16px;
        cursor: pointer;
        user-select: none;
        background: var(--md-sys-color-surface);
        color: var(--md-sys-color-on-surface);
        transition: all 0.2s ease;
        font-size: 0.9rem;
      }

      .chip:hover {
        background: var(--md-sys-color-surface-container-high);
      }

      .chip.selected {
        background: var(--md-sys-color-secondary-container);
        color: var(--md-sys-color-on-secondary-container);
        border-color: var(--md-sys-color-secondary-container);
      }

      .chip.selected:hover {
        background: var(--md-sys-color-secondary-container-high);
      }

      .chip-icon {
        display: none;
        width: 18px;
        height: 18px;
      }

      .chip.selected .chip-icon {
        display: block;
        fill: currentColor;
      }

      @keyframes fadeIn {
        from {
          opacity: 0;
          transform: translateY(-8px);
        }
        to {
          opacity: 1;
          transform: translateY(0);
        }
      }
    `]}#l(N){!this.selections||!this.processor||"path"in this.selections&&this.selections.path&&this.processor.setData(this.component,this.selections.path,N,this.surfaceId??H.DEFAULT_SURFACE_ID)}getCurrentSelections(){if(Array.isArray(this.selections))return this.selections;if(!this.processor||!this.component)return[];let N=this.processor.getData(this.component,this.selections.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return Array.isArray(N)?N:[]}toggleSelection(N){let j=this.getCurrentSelections();j.includes(N)?this.#l(j.filter(O=>O!==N)):this.#l([...j,N]),this.requestUpdate()}#n(){return w`
      <svg class="chip-icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 -960 960 960">
        <path d="M382-240 154-468l57-57 171 171 367-367 57 57-424 424Z" />
      </svg>
    `}#c(){return w`
      <div class="filter-container">
        <input
          type="text"
          class="filter-input"
          placeholder="Filter options..."
          .value=${this.filterText}
          @input=${N=>{let j=N.target;this.filterText=j.value}}
          @click=${N=>N.stopPropagation()}
        />
      </div>
    `}render(){let N=this.getCurrentSelections(),j=this.options.filter(y=>this.filterText?we(y.label,this.component,this.processor,this.surfaceId).toLowerCase().includes(this.filterText.toLowerCase()):!0);if(this.variant==="chips")return w`
        <div class="container">
          ${this.description?w`<div class="header-text" style="margin-bottom: 8px;">${this.description}</div>`:S}
          ${this.filterable?this.#c():S}
          <div class="chips-container">
            ${j.map(y=>{let Q=we(y.label,this.component,this.processor,this.surfaceId),J=N.includes(y.value);return w`
                <div
                  class="chip ${J?"selected":""}"
                  @click=${re=>{re.stopPropagation(),this.toggleSelection(y.value)}}
                >
                  ${J?this.#n():S}
                  <span>${Q}</span>
                </div>
              `})}
          </div>
          ${j.length===0?w`<div
                style="padding: 8px; font-style: italic; color: var(--md-sys-color-outline);"
              >
                No options found
              </div>`:S}
        </div>
      `;let O=N.length,k=O>0?`${O} Selected`:this.description??"Select items";return w`
      <div class="container">
        <div class="dropdown-header" @click=${()=>this.isOpen=!this.isOpen}>
          <span class="header-text">${k}</span>
          <span class="chevron ${this.isOpen?"open":""}">
            <svg
              xmlns="http://www.w3.org/2000/svg"
              height="24"
              viewBox="0 -960 960 960"
              width="24"
              fill="currentColor"
            >
              <path d="M480-345 240-585l56-56 184 184 184-184 56 56-240 240Z" />
            </svg>
          </span>
        </div>

        <div class="dropdown-wrapper ${this.isOpen?"open":""}">
          ${this.filterable?this.#c():S}
          <div class="options-scroll-container">
            ${j.map(y=>{let Q=we(y.label,this.component,this.processor,this.surfaceId),J=N.includes(y.value);return w`
                <div
                  class="option-item ${J?"selected":""}"
                  @click=${re=>{re.stopPropagation(),this.toggleSelection(y.value)}}
                >
                  <div class="checkbox">
                    <span class="checkbox-icon">✓</span>
                  </div>
                  <span>${Q}</span>
                </div>
              `})}
            ${j.length===0?w`<div
                  style="padding: 16px; text-align: center; color: var(--md-sys-color-outline);"
                >
                  No options found
                </div>`:S}
          </div>
        </div>
      </div>
    `}constructor(){super(...arguments),ue(this,X)}static{ue(r,s)}};return $e=r})();var ai=new WeakMap,qa=oe(class extends Ye{render(t){return S}update(t,[e]){let s=e!==this.G;return s&&this.rt(void 0),(s||this.lt!==this.ct)&&(this.G=e,this.ht=t.options?.host,this.rt(this.ct=t.element)),S}rt(t){if(this.G!==void 0)if(this.isConnected||(t=void 0),typeof this.G=="function"){let e=this.ht??globalThis,s=ai.get(e);s===void 0&&(s=new WeakMap,ai.set(e,s)),s.get(this.G)!==void 0&&this.G.call(this.ht,void 0),s.set(this.G,t),t!==void 0&&this.G.call(this.ht,t)}else this.G.value=t}get lt(){return typeof this.G=="function"?ai.get(this.ht??globalThis)?.get(this.G):this.G?.value}disconnected(){this.lt===this.ct&&this.rt(void 0)}reconnected(){this.rt(this.ct)}});var ni=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},os=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Gs=function(t,e,s){return typeof e=="symbol"&&(e=e.description?"[".concat(e.description,"]"):""),Object.defineProperty(t,"name",{configurable:!0,value:s?"".concat(s," ",e):e})},Gl=(()=>{let t=[L("a2ui-modal")],e,s=[],r,i=F,a,n=[],o=[],d,c,l=[],u=[],m;var p=class extends i{static{r=this}static{let g=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[Qt()],c=[Ea("dialog")],ni(this,d={get:Gs(function(){return this.#e},"#showModal","get"),set:Gs(function(f){this.#e=f},"#showModal","set")},a,{kind:"accessor",name:"#showModal",static:!1,private:!0,access:{has:f=>#t in f,get:f=>f.#t,set:(f,h)=>{f.#t=h}},metadata:g},n,o),ni(this,m={get:Gs(function(){return this.#r},"#modalRef","get"),set:Gs(function(f){this.#r=f},"#modalRef","set")},c,{kind:"accessor",name:"#modalRef",static:!1,private:!0,access:{has:f=>#s in f,get:f=>f.#s,set:(f,h)=>{f.#s=h}},metadata:g},l,u),ni(null,e={value:r},t,{kind:"class",name:r.name,metadata:g},null,s),p=r=e.value,g&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:g})}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      dialog {
        padding: 0 0 0 0;
        border: none;
        background: none;

        & section {
          & #controls {
            display: flex;
            justify-content: end;
            margin-bottom: 4px;

            & button {
              padding: 0;
              background: none;
              width: 20px;
              height: 20px;
              pointer: cursor;
              border: none;
              cursor: pointer;
            }
          }
        }
      }
    `]}#e=os(this,n,!1);get#t(){return d.get.call(this)}set#t(g){return d.set.call(this,g)}#r=(os(this,o),os(this,l,null));get#s(){return m.get.call(this)}set#s(g){return m.set.call(this,g)}#i(){this.#s&&(this.#s.open&&this.#s.close(),this.#t=!1)}render(){return this.#t?w`<dialog
      class=${P(this.theme.components.Modal.backdrop)}
      @click=${g=>{let[f]=g.composedPath();f instanceof HTMLDialogElement&&this.#i()}}
      ${qa(g=>{requestAnimationFrame(()=>{!(g&&g instanceof HTMLDialogElement)||g.open||g.showModal()})})}
    >
      <section
        class=${P(this.theme.components.Modal.element)}
        style=${this.theme.additionalStyles?.Modal?Z(this.theme.additionalStyles?.Modal):S}
      >
        <div id="controls">
          <button
            @click=${()=>{this.#i()}}
          >
            <span class="g-icon">close</span>
          </button>
        </div>
        <slot></slot>
      </section>
    </dialog>`:w`<section
        @click=${()=>{this.#t=!0}}
      >
        <slot name="entry"></slot>
      </section>`}constructor(){super(...arguments),os(this,u)}static{os(r,s)}};return p=r})();var oi=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},ls=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Kl=(()=>{let t=[L("a2ui-row")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[];var u=class extends i{static{r=this}static{let m=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A({reflect:!0,type:String})],d=[A({reflect:!0,type:String})],oi(this,null,a,{kind:"accessor",name:"alignment",static:!1,private:!1,access:{has:p=>"alignment"in p,get:p=>p.alignment,set:(p,g)=>{p.alignment=g}},metadata:m},n,o),oi(this,null,d,{kind:"accessor",name:"distribution",static:!1,private:!1,access:{has:p=>"distribution"in p,get:p=>p.distribution,set:(p,g)=>{p.distribution=g}},metadata:m},c,l),oi(null,e={value:r},t,{kind:"class",name:r.name,metadata:m},null,s),u=r=e.value,m&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:m})}#e=ls(this,n,"stretch");get alignment(){return this.#e}set alignment(m){this.#e=m}#t=(ls(this,o),ls(this,c,"start"));get distribution(){return this.#t}set distribution(m){this.#t=m}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: flex;
        flex: var(--weight);
      }

      section {
        display: flex;
        flex-direction: row;
        width: 100%;
        min-height: 100%;
      }

      :host([alignment='start']) section {
        align-items: start;
      }

      :host([alignment='center']) section {
        align-items: center;
      }

      :host([alignment='end']) section {
        align-items: end;
      }

      :host([alignment='stretch']) section {
        align-items: stretch;
      }

      :host([distribution='start']) section {
        justify-content: start;
      }

      :host([distribution='center']) section {
        justify-content: center;
      }

      :host([distribution='end']) section {
        justify-content: end;
      }

      :host([distribution='spaceBetween']) section {
        justify-content: space-between;
      }

      :host([distribution='spaceAround']) section {
        justify-content: space-around;
      }

      :host([distribution='spaceEvenly']) section {
        justify-content: space-evenly;
      }
    `]}render(){return w`<section
      class=${P(this.theme.components.Row)}
      style=${this.theme.additionalStyles?.Row?Z(this.theme.additionalStyles?.Row):S}
    >
      <slot></slot>
    </section>`}constructor(){super(...arguments),ls(this,l)}static{ls(r,s)}};return u=r})();var cs=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Le=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Yl=(()=>{let t=[L("a2ui-slider")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[],g,f=[],h=[];var v=class extends i{static{r=this}static{let b=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A()],g=[A()],cs(this,null,a,{kind:"accessor",name:"value",static:!1,private:!1,access:{has:_=>"value"in _,get:_=>_.value,set:(_,C)=>{_.value=C}},metadata:b},n,o),cs(this,null,d,{kind:"accessor",name:"minValue",static:!1,private:!1,access:{has:_=>"minValue"in _,get:_=>_.minValue,set:(_,C)=>{_.minValue=C}},metadata:b},c,l),cs(this,null,u,{kind:"accessor",name:"maxValue",static:!1,private:!1,access:{has:_=>"maxValue"in _,get:_=>_.maxValue,set:(_,C)=>{_.maxValue=C}},metadata:b},m,p),cs(this,null,g,{kind:"accessor",name:"label",static:!1,private:!1,access:{has:_=>"label"in _,get:_=>_.label,set:(_,C)=>{_.label=C}},metadata:b},f,h),cs(null,e={value:r},t,{kind:"class",name:r.name,metadata:b},null,s),v=r=e.value,b&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:b})}#e=Le(this,n,null);get value(){return this.#e}set value(b){this.#e=b}#t=(Le(this,o),Le(this,c,0));get minValue(){return this.#t}set minValue(b){this.#t=b}#r=(Le(this,l),Le(this,m,0));get maxValue(){return this.#r}set maxValue(b){this.#r=b}#s=(Le(this,p),Le(this,f,null));get label(){return this.#s}set label(b){this.#s=b}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
      }

      input {
        display: block;
        width: 100%;
      }

      .description {
      }
    `]}#i(b){!this.value||!this.processor||"path"in this.value&&this.value.path&&this.processor.setData(this.component,this.value.path,b,this.surfaceId??H.DEFAULT_SURFACE_ID)}#a(b){return w`<section class=${P(this.theme.components.Slider.container)}>
      ${this.label?w`<label class=${P(this.theme.components.Slider.label)} for="data">
            ${we(this.label,this.component,this.processor,this.surfaceId)}
          </label>`:S}
      <input
        autocomplete="off"
        class=${P(this.theme.components.Slider.element)}
        style=${this.theme.additionalStyles?.Slider?Z(this.theme.additionalStyles?.Slider):S}
        @input=${_=>{_.target instanceof HTMLInputElement&&this.#i(_.target.value)}}
        id="data"
        name="data"
        .value=${b}
        type="range"
        min=${this.minValue??"0"}
        max=${this.maxValue??"0"}
      />
      <span class=${P(this.theme.components.Slider.label)}
        >${this.value?Wa(this.value,this.component,this.processor,this.surfaceId):"0"}</span
      >
    </section>`}render(){if(this.value&&typeof this.value=="object"){if("literalNumber"in this.value&&this.value.literalNumber)return this.#a(this.value.literalNumber);if("literal"in this.value&&this.value.literal!==void 0)return this.#a(this.value.literal);if(this.value&&"path"in this.value&&this.value.path){if(!this.processor||!this.component)return w`(no processor)`;let b=this.processor.getData(this.component,this.value.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return b===null?w`Invalid value`:typeof b!="string"&&typeof b!="number"?w`Invalid value`:this.#a(b)}}return S}constructor(){super(...arguments),Le(this,h)}static{Le(r,s)}};return v=r})();var us=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Fe=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Jl=(()=>{let t=[L("a2ui-surface")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[],g,f=[],h=[];var v=class extends i{static{r=this}static{let b=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A()],g=[A()],us(this,null,a,{kind:"accessor",name:"surfaceId",static:!1,private:!1,access:{has:_=>"surfaceId"in _,get:_=>_.surfaceId,set:(_,C)=>{_.surfaceId=C}},metadata:b},n,o),us(this,null,d,{kind:"accessor",name:"surface",static:!1,private:!1,access:{has:_=>"surface"in _,get:_=>_.surface,set:(_,C)=>{_.surface=C}},metadata:b},c,l),us(this,null,u,{kind:"accessor",name:"processor",static:!1,private:!1,access:{has:_=>"processor"in _,get:_=>_.processor,set:(_,C)=>{_.processor=C}},metadata:b},m,p),us(this,null,g,{kind:"accessor",name:"enableCustomElements",static:!1,private:!1,access:{has:_=>"enableCustomElements"in _,get:_=>_.enableCustomElements,set:(_,C)=>{_.enableCustomElements=C}},metadata:b},f,h),us(null,e={value:r},t,{kind:"class",name:r.name,metadata:b},null,s),v=r=e.value,b&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:b})}#e=Fe(this,n,null);get surfaceId(){return this.#e}set surfaceId(b){this.#e=b}#t=(Fe(this,o),Fe(this,c,null));get surface(){return this.#t}set surface(b){this.#t=b}#r=(Fe(this,l),Fe(this,m,null));get processor(){return this.#r}set processor(b){this.#r=b}static{this.styles=[V`
      :host {
        display: flex;
        min-height: 0;
        max-height: 100%;
        flex-direction: column;
        gap: 16px;
      }

      #surface-logo {
        display: flex;
        justify-content: center;

        & img {
          width: 50%;
          max-width: 220px;
        }
      }

      a2ui-root {
        flex: 1;
      }
    `]}#s(){return this.surface?.styles.logoUrl?w`<div id="surface-logo">
      <img src=${this.surface.styles.logoUrl} />
    </div>`:S}#i=(Fe(this,p),Fe(this,f,!1));get enableCustomElements(){return this.#i}set enableCustomElements(b){this.#i=b}#a(){let b={};if(this.surface?.styles)for(let[_,C]of Object.entries(this.surface.styles))switch(_){case"primaryColor":{b["--p-100"]="#ffffff",b["--p-99"]=`color-mix(in srgb, ${C} 2%, white 98%)`,b["--p-98"]=`color-mix(in srgb, ${C} 4%, white 96%)`,b["--p-95"]=`color-mix(in srgb, ${C} 10%, white 90%)`,b["--p-90"]=`color-mix(in srgb, ${C} 20%, white 80%)`,b["--p-80"]=`color-mix(in srgb, ${C} 40%, white 60%)`,b["--p-70"]=`color-mix(in srgb, ${C} 60%, white 40%)`,b["--p-60"]=`color-mix(in srgb, ${C} 80%, white 20%)`,b["--p-50"]=C,b["--p-40"]=`color-mix(in srgb, ${C} 80%, black 20%)`,b["--p-35"]=`color-mix(in srgb, ${C} 70%, black 30%)`,b["--p-30"]=`color-mix(in srgb, ${C} 60%, black 40%)`,b["--p-25"]=`color-mix(in srgb, ${C} 50%, black 50%)`,b["--p-20"]=`color-mix(in srgb, ${C} 40%, black 60%)`,b["--p-15"]=`color-mix(in srgb, ${C} 30%, black 70%)`,b["--p-10"]=`color-mix(in srgb, ${C} 20%, black 80%)`,b["--p-5"]=`color-mix(in srgb, ${C} 10%, black 90%)`,b["--0"]="#00000";break}case"font":{b["--font-family"]=C,b["--font-family-flex"]=C;break}}return w`<a2ui-root
      style=${Z(b)}
      .surfaceId=${this.surfaceId}
      .processor=${this.processor}
      .childComponents=${this.surface?.componentTree?[this.surface.componentTree]:null}
      .enableCustomElements=${this.enableCustomElements}
    ></a2ui-root>`}render(){return this.surface?w`${[this.#s(),this.#a()]}`:S}constructor(){super(...arguments),Fe(this,h)}static{Fe(r,s)}};return v=r})();var Ga=(t,e,s)=>{let r=new Map;for(let i=e;i<=s;i++)r.set(t[i],i);return r},Ka=oe(class extends pe{constructor(t){if(super(t),t.type!==Ae.CHILD)throw Error("repeat() can only be used in text expressions")}dt(t,e,s){let r;s===void 0?s=e:e!==void 0&&(r=e);let i=[],a=[],n=0;for(let o of t)i[n]=r?r(o,n):n,a[n]=s(o,n),n++;return{values:a,keys:i}}render(t,e,s){return this.dt(t,e,s).values}update(t,[e,s,r]){let i=Ma(t),{values:a,keys:n}=this.dt(e,s,r);if(!Array.isArray(i))return this.ut=n,a;let o=this.ut??=[],d=[],c,l,u=0,m=i.length-1,p=0,g=a.length-1;for(;u<=m&&p<=g;)if(i[u]===null)u++;else if(i[m]===null)m--;else if(o[u]===n[p])d[p]=Ke(i[u],a[p]),u++,p++;else if(o[m]===n[g])d[g]=Ke(i[m],a[g]),m--,g--;else if(o[u]===n[g])d[g]=Ke(i[u],a[g]),Nt(t,d[g+1],i[u]),u++,g--;else if(o[m]===n[p])d[p]=Ke(i[m],a[p]),Nt(t,i[u],i[m]),m--,p++;else if(c===void 0&&(c=Ga(n,p,g),l=Ga(o,u,m)),c.has(o[u]))if(c.has(o[m])){let f=l.get(n[p]),h=f!==void 0?i[f]:null;if(h===null){let v=Nt(t,i[u]);Ke(v,a[p]),d[p]=v}else d[p]=Ke(h,a[p]),Nt(t,i[u],h),i[f]=null;p++}else Ls(i[m]),m--;else Ls(i[u]),u++;for(;p<=g;){let f=Nt(t,d[g+1]);Ke(f,a[p]),d[p++]=f}for(;u<=m;){let f=i[u++];f!==null&&Ls(f)}return this.ut=n,Pa(t,d),se}});var li=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},ds=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Xl=(()=>{let t=[L("a2ui-tabs")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[];var u=class extends i{static{r=this}static{let m=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],li(this,null,a,{kind:"accessor",name:"titles",static:!1,private:!1,access:{has:p=>"titles"in p,get:p=>p.titles,set:(p,g)=>{p.titles=g}},metadata:m},n,o),li(this,null,d,{kind:"accessor",name:"selected",static:!1,private:!1,access:{has:p=>"selected"in p,get:p=>p.selected,set:(p,g)=>{p.selected=g}},metadata:m},c,l),li(null,e={value:r},t,{kind:"class",name:r.name,metadata:m},null,s),u=r=e.value,m&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:m})}#e=ds(this,n,null);get titles(){return this.#e}set titles(m){this.#e=m}#t=(ds(this,o),ds(this,c,0));get selected(){return this.#t}set selected(m){this.#t=m}static{this.styles=[B,V`
      :host {
        display: block;
        flex: var(--weight);
      }
    `]}willUpdate(m){if(super.willUpdate(m),m.has("selected")){for(let g of this.children)g.removeAttribute("slot");let p=this.children[this.selected];if(!p)return;p.slot="current"}}#r(){return this.titles?w`<div id="buttons" class=${P(this.theme.components.Tabs.element)}>
      ${Ka(this.titles,(m,p)=>{let g="";if("literalString"in m&&m.literalString)g=m.literalString;else if("literal"in m&&m.literal!==void 0)g=m.literal;else if(m&&"path"in m&&m.path){if(!this.processor||!this.component)return w`(no model)`;let h=this.processor.getData(this.component,m.path,this.surfaceId??H.DEFAULT_SURFACE_ID);if(typeof h!="string")return w`(invalid)`;g=h}let f;return this.selected===p?f=Ee.merge(this.theme.components.Tabs.controls.all,this.theme.components.Tabs.controls.selected):f={...this.theme.components.Tabs.controls.all},w`<button
          ?disabled=${this.selected===p}
          class=${P(f)}
          @click=${()=>{this.selected=p}}
        >
          ${g}
        </button>`})}
    </div>`:S}#s(){return w`<slot name="current"></slot>`}render(){return w`<section
      class=${P(this.theme.components.Tabs.container)}
      style=${this.theme.additionalStyles?.Tabs?Z(this.theme.additionalStyles?.Tabs):S}
    >
      ${[this.#r(),this.#s()]}
    </section>`}constructor(){super(...arguments),ds(this,l)}static{ds(r,s)}};return u=r})();var hs=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},Be=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},Ql=(()=>{let t=[L("a2ui-textfield")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[],g,f=[],h=[];var v=class extends i{static{r=this}static{let b=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A()],u=[A()],g=[A()],hs(this,null,a,{kind:"accessor",name:"text",static:!1,private:!1,access:{has:_=>"text"in _,get:_=>_.text,set:(_,C)=>{_.text=C}},metadata:b},n,o),hs(this,null,d,{kind:"accessor",name:"label",static:!1,private:!1,access:{has:_=>"label"in _,get:_=>_.label,set:(_,C)=>{_.label=C}},metadata:b},c,l),hs(this,null,u,{kind:"accessor",name:"textFieldType",static:!1,private:!1,access:{has:_=>"textFieldType"in _,get:_=>_.textFieldType,set:(_,C)=>{_.textFieldType=C}},metadata:b},m,p),hs(this,null,g,{kind:"accessor",name:"validationRegexp",static:!1,private:!1,access:{has:_=>"validationRegexp"in _,get:_=>_.validationRegexp,set:(_,C)=>{_.validationRegexp=C}},metadata:b},f,h),hs(null,e={value:r},t,{kind:"class",name:r.name,metadata:b},null,s),v=r=e.value,b&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:b})}#e=Be(this,n,null);get text(){return this.#e}set text(b){this.#e=b}#t=(Be(this,o),Be(this,c,null));get label(){return this.#t}set label(b){this.#t=b}#r=(Be(this,l),Be(this,m,null));get textFieldType(){return this.#r}set textFieldType(b){this.#r=b}#s=(Be(this,p),Be(this,f,null));get validationRegexp(){return this.#s}set validationRegexp(b){this.#s=b}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: flex;
        flex: var(--weight);
      }

      input {
        display: block;
        width: 100%;
      }

      input:invalid {
        border-color: var(--color-error);
        color: var(--color-error);
        outline-color: var(--color-error);
      }

      input:invalid:focus {
        border-color: var(--color-error);
        outline-color: var(--color-error);
      }

      label {
        display: block;
        margin-bottom: 4px;
      }
    `]}#i(b){!this.text||!this.processor||"path"in this.text&&this.text.path&&this.processor.setData(this.component,this.text.path,b,this.surfaceId??H.DEFAULT_SURFACE_ID)}#a(b,_){return w` <section class=${P(this.theme.components.TextField.container)}>
      ${_&&_!==""?w`<label class=${P(this.theme.components.TextField.label)} for="data"
            >${_}</label
          >`:S}
      <input
        autocomplete="off"
        class=${P(this.theme.components.TextField.element)}
        style=${this.theme.additionalStyles?.TextField?Z(this.theme.additionalStyles?.TextField):S}
        @input=${C=>{C.target instanceof HTMLInputElement&&(this.dispatchEvent(new ys.A2UIValidationEvent({componentId:this.id,value:C.target.value,valid:C.target.checkValidity()})),this.#i(C.target.value))}}
        name="data"
        id="data"
        .value=${b}
        .placeholder=${"Please enter a value"}
        pattern=${this.validationRegexp||S}
        type=${this.textFieldType==="number"?"number":"text"}
      />
    </section>`}render(){let b=we(this.label,this.component,this.processor,this.surfaceId),_=we(this.text,this.component,this.processor,this.surfaceId);return this.#a(_,b)}constructor(){super(...arguments),Be(this,h)}static{Be(r,s)}};return v=r})();var ps=class extends pe{constructor(e){if(super(e),this.it=S,e.type!==Ae.CHILD)throw Error(this.constructor.directiveName+"() can only be used in child bindings")}render(e){if(e===S||e==null)return this._t=void 0,this.it=e;if(e===se)return e;if(typeof e!="string")throw Error(this.constructor.directiveName+"() called with a non-string value");if(e===this.it)return this._t;this.it=e;let s=[e];return s.raw=s,this._t={_$litType$:this.constructor.resultType,strings:s,values:[]}}};ps.directiveName="unsafeHTML",ps.resultType=1;var ci=oe(ps);var Ks=class{constructor(e){this.G=e}disconnect(){this.G=void 0}reconnect(e){this.G=e}deref(){return this.G}},Ys=class{constructor(){this.Y=void 0,this.Z=void 0}get(){return this.Y}pause(){this.Y??=new Promise(e=>this.Z=e)}resume(){this.Z?.(),this.Y=this.Z=void 0}};var Ya=t=>!Ra(t)&&typeof t.then=="function",Ja=1073741823,ui=class extends Ye{constructor(){super(...arguments),this._$Cwt=Ja,this._$Cbt=[],this._$CK=new Ks(this),this._$CX=new Ys}render(...e){return e.find(s=>!Ya(s))??se}update(e,s){let r=this._$Cbt,i=r.length;this._$Cbt=s;let a=this._$CK,n=this._$CX;this.isConnected||this.disconnected();for(let o=0;o<s.length&&!(o>this._$Cwt);o++){let d=s[o];if(!Ya(d))return this._$Cwt=o,d;o<i&&d===r[o]||(this._$Cwt=Ja,i=0,Promise.resolve(d).then(async c=>{for(;n.get();)await n.get();let l=a.deref();if(l!==void 0){let u=l._$Cbt.indexOf(d);u>-1&&u<l._$Cwt&&(l._$Cwt=u,l.setValue(c))}}))}return se}disconnected(){this._$CK.disconnect(),this._$CX.pause()}reconnected(){this._$CK.reconnect(this),this._$CX.resume()}},di=oe(ui);var hi=class t extends pe{#e=null;#t=null;update(e,[s,r,i]){let a=JSON.stringify(i?.tagClassMap);return this.#e===s&&a===this.#t?se:(this.#e=s,this.#t=a,this.render(s,r,i))}static{this.defaultMarkdownWarningLogged=!1}render(e,s,r){if(s){let a=s(e,r).then(n=>ci(n));return di(a,w`<span class="no-markdown-renderer">${e}</span>`)}let i=(async()=>{try{let{renderMarkdown:a}=await import("@a2ui/markdown-it"),n=await a(e,r);return ci(n)}catch{return t.defaultMarkdownWarningLogged||(console.warn("[MarkdownDirective] Failed to load optional `@a2ui/markdown-it` renderer. Using fallback regex."),t.defaultMarkdownWarningLogged=!0),w`<span class="no-markdown-renderer">${e}</span>`}})();return di(i,w`<span class="no-markdown-renderer">${e}</span>`)}},pi=oe(hi);var Xa=Symbol("A2UIMarkdown");var Js=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},wt=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},ec=(()=>{let t=[L("a2ui-text")],e,s=[],r,i=F,a,n=[],o=[],d,c=[],l=[],u,m=[],p=[];var g=class extends i{static{r=this}static{let f=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],d=[A({reflect:!0,attribute:"usage-hint"})],u=[ts({context:Xa})],Js(this,null,a,{kind:"accessor",name:"text",static:!1,private:!1,access:{has:h=>"text"in h,get:h=>h.text,set:(h,v)=>{h.text=v}},metadata:f},n,o),Js(this,null,d,{kind:"accessor",name:"usageHint",static:!1,private:!1,access:{has:h=>"usageHint"in h,get:h=>h.usageHint,set:(h,v)=>{h.usageHint=v}},metadata:f},c,l),Js(this,null,u,{kind:"accessor",name:"markdownRenderer",static:!1,private:!1,access:{has:h=>"markdownRenderer"in h,get:h=>h.markdownRenderer,set:(h,v)=>{h.markdownRenderer=v}},metadata:f},m,p),Js(null,e={value:r},t,{kind:"class",name:r.name,metadata:f},null,s),g=r=e.value,f&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:f})}#e=wt(this,n,null);get text(){return this.#e}set text(f){this.#e=f}#t=(wt(this,o),wt(this,c,null));get usageHint(){return this.#t}set usageHint(f){this.#t=f}#r=(wt(this,l),wt(this,m,void 0));get markdownRenderer(){return this.#r}set markdownRenderer(f){this.#r=f}static{this.styles=[B,V`
      :host {
        display: block;
        flex: var(--weight);
      }

      h1,
      h2,
      h3,
      h4,
      h5 {
        line-height: inherit;
        font: inherit;
      }
    `]}#s(){let f=null;if(this.text&&typeof this.text=="object"){if("literalString"in this.text&&this.text.literalString)f=this.text.literalString;else if("literal"in this.text&&this.text.literal!==void 0)f=this.text.literal;else if(this.text&&"path"in this.text&&this.text.path){if(!this.processor||!this.component)return w`(no model)`;let v=this.processor.getData(this.component,this.text.path,this.surfaceId??H.DEFAULT_SURFACE_ID);v!=null&&(f=v.toString())}}if(f==null)return w`(empty)`;let h=f;switch(this.usageHint){case"h1":h=`# ${h}`;break;case"h2":h=`## ${h}`;break;case"h3":h=`### ${h}`;break;case"h4":h=`#### ${h}`;break;case"h5":h=`##### ${h}`;break;case"caption":h=`*${h}*`;break;default:break}return w`${pi(h,this.markdownRenderer,{tagClassMap:Ee.appendToAll(this.theme.markdown,["ol","ul","li"],{})})}`}#i(f){return typeof f!="object"||Array.isArray(f)||!f?!1:["h1","h2","h3","h4","h5","h6","caption","body"].every(v=>v in f)}#a(){let f={},h=this.theme.additionalStyles?.Text;if(!h)return f;if(this.#i(h)){let v=this.usageHint??"body";f=h[v]}else f=h;return f}render(){let f=Ee.merge(this.theme.components.Text.all,this.usageHint?this.theme.components.Text[this.usageHint]:{});return w`<section
      class=${P(f)}
      style=${this.theme.additionalStyles?.Text?Z(this.#a()):S}
    >
      ${this.#s()}
    </section>`}constructor(){super(...arguments),wt(this,p)}static{wt(r,s)}};return g=r})();var en=function(t,e,s,r,i,a){function n(v){if(v!==void 0&&typeof v!="function")throw new TypeError("Function expected");return v}for(var o=r.kind,d=o==="getter"?"get":o==="setter"?"set":"value",c=!e&&t?r.static?t:t.prototype:null,l=e||(c?Object.getOwnPropertyDescriptor(c,r.name):{}),u,m=!1,p=s.length-1;p>=0;p--){var g={};for(var f in r)g[f]=f==="access"?{}:r[f];for(var f in r.access)g.access[f]=r.access[f];g.addInitializer=function(v){if(m)throw new TypeError("Cannot add initializers after decoration has completed");a.push(n(v||null))};var h=(0,s[p])(o==="accessor"?{get:l.get,set:l.set}:l[d],g);if(o==="accessor"){if(h===void 0)continue;if(h===null||typeof h!="object")throw new TypeError("Object expected");(u=n(h.get))&&(l.get=u),(u=n(h.set))&&(l.set=u),(u=n(h.init))&&i.unshift(u)}else(u=n(h))&&(o==="field"?i.unshift(u):l[d]=u)}c&&Object.defineProperty(c,r.name,l),m=!0},fi=function(t,e,s){for(var r=arguments.length>2,i=0;i<e.length;i++)s=r?e[i].call(t,s):e[i].call(t);return r?s:void 0},tc=(()=>{let t=[L("a2ui-video")],e,s=[],r,i=F,a,n=[],o=[];var d=class extends i{static{r=this}static{let c=typeof Symbol=="function"&&Symbol.metadata?Object.create(i[Symbol.metadata]??null):void 0;a=[A()],en(this,null,a,{kind:"accessor",name:"url",static:!1,private:!1,access:{has:l=>"url"in l,get:l=>l.url,set:(l,u)=>{l.url=u}},metadata:c},n,o),en(null,e={value:r},t,{kind:"class",name:r.name,metadata:c},null,s),d=r=e.value,c&&Object.defineProperty(r,Symbol.metadata,{enumerable:!0,configurable:!0,writable:!0,value:c})}#e=fi(this,n,null);get url(){return this.#e}set url(c){this.#e=c}static{this.styles=[B,V`
      * {
        box-sizing: border-box;
      }

      :host {
        display: block;
        flex: var(--weight);
        min-height: 0;
        overflow: auto;
      }

      video {
        display: block;
        width: 100%;
      }
    `]}#t(){if(!this.url)return S;if(this.url&&typeof this.url=="object"){if("literalString"in this.url)return w`<video controls src=${this.url.literalString} />`;if("literal"in this.url)return w`<video controls src=${this.url.literal} />`;if(this.url&&"path"in this.url&&this.url.path){if(!this.processor||!this.component)return w`(no processor)`;let c=this.processor.getData(this.component,this.url.path,this.surfaceId??H.DEFAULT_SURFACE_ID);return c?typeof c!="string"?w`Invalid video URL`:w`<video controls src=${c} />`:w`Invalid video URL`}}return w`(empty)`}render(){return w`<section
      class=${P(this.theme.components.Video)}
      style=${this.theme.additionalStyles?.Video?Z(this.theme.additionalStyles?.Video):S}
    >
      ${this.#t()}
    </section>`}constructor(){super(...arguments),fi(this,o)}static{fi(r,s)}};return d=r})();var $t=ca.createSignalA2uiMessageProcessor(),Xs=new Map;function sc(){return document.getElementById("openclaw-a2ui")??document.body}function tn(){let t=$t.getSurfaces();for(let[e,s]of t){let r=Xs.get(e);r||(r=document.createElement("a2ui-surface"),r.surfaceId=e,r.processor=$t,r.dataset.surfaceId=e,sc().append(r),Xs.set(e,r)),r.surface=s}for(let[e,s]of Xs)t.has(e)||(s.remove(),Xs.delete(e))}function rc(t,e){let s={};for(let r of t.action?.context??[]){let i=r.value??{};i.path!==void 0&&t.sourceComponent?s[r.key]=$t.getData(t.sourceComponent,i.path,e):s[r.key]=i.literalString??i.literalNumber??i.literalBoolean??null}return s}document.addEventListener("a2uiaction",t=>{let e=t.detail??{},r=t.composedPath().find(a=>a instanceof HTMLElement&&a.tagName==="A2UI-SURFACE")?.dataset.surfaceId??"",i={id:globalThis.crypto?.randomUUID?.()??String(Date.now()),name:e.action?.name??"",surfaceId:r,sourceComponentId:e.sourceComponentId??"",context:rc(e,r)};globalThis.OpenClaw?.sendUserAction?.(i)});globalThis.openclawA2UI={applyMessages(t){return $t.processMessages(Array.isArray(t)?t:[t]),tn(),{surfaces:[...$t.getSurfaces().keys()]}},reset(){$t.clearSurfaces(),tn()},surfaceIds(){return[...$t.getSurfaces().keys()]}};
/*! For license information please see a2ui.js.LEGAL.txt */
